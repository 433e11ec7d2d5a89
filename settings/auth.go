package settings

// AuthenticationSettings holds an application key for servers that require
// one (Orkes Conductor); it is exchanged for a token at POST /api/token.
type AuthenticationSettings struct {
	keyID     string
	keySecret string
}

// NewAuthenticationSettings returns settings for the given key id and secret.
func NewAuthenticationSettings(keyID, keySecret string) *AuthenticationSettings {
	return &AuthenticationSettings{keyID: keyID, keySecret: keySecret}
}

// KeyID returns the key id.
func (s *AuthenticationSettings) KeyID() string { return s.keyID }

// KeySecret returns the key secret.
func (s *AuthenticationSettings) KeySecret() string { return s.keySecret }

// IsEmpty reports whether no key is set, so requests go without a token.
func (s *AuthenticationSettings) IsEmpty() bool {
	return s == nil || s.keyID == "" || s.keySecret == ""
}

// GetBody returns the body of the token request.
func (s *AuthenticationSettings) GetBody() map[string]string {
	return map[string]string{"keyId": s.keyID, "keySecret": s.keySecret}
}

// String hides the secret so the settings can be logged.
func (s *AuthenticationSettings) String() string {
	if s.IsEmpty() {
		return "AuthenticationSettings{}"
	}
	return "AuthenticationSettings{keyId: " + s.keyID + ", keySecret: ****}"
}
