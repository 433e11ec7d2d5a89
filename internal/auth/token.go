package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Token verification errors. Both are answered 401.
var (
	// ErrExpiredToken is a well-signed token past its expiry.
	ErrExpiredToken = errors.New("auth: token expired")
	// ErrInvalidToken is anything else that is not a valid token: missing,
	// malformed, wrongly signed, of another algorithm, of a revoked key.
	ErrInvalidToken = errors.New("auth: invalid token")
)

// maxTokenLen bounds a token before any decoding; Baton's are about 200
// bytes.
const maxTokenLen = 4 << 10

// clockSkew is how far in the future a token's iat may be: another
// instance's clock may run ahead a little.
const clockSkew = time.Minute

// hs256Header is the only header Baton writes or accepts, base64url-encoded.
var hs256Header = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// claims are a token's registered claims (RFC 7519): the key id it was
// issued to, when, and until when.
type claims struct {
	Sub string `json:"sub"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
}

// sign returns the HS256 JWT of c (RFC 7515 compact serialisation).
func sign(key []byte, c claims) string {
	payload, _ := json.Marshal(c) // strings and integers always encode
	signing := hs256Header + "." + base64.RawURLEncoding.EncodeToString(payload)
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac(key, signing))
}

func mac(key []byte, signing string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(signing))
	return m.Sum(nil)
}

// verify checks tok's header (alg HS256, nothing else), its signature, and
// its claims at now: sub set, iat not in the future, exp after now.
func verify(key []byte, tok string, now time.Time) (claims, error) {
	var c claims
	if tok == "" || len(tok) > maxTokenLen {
		return c, ErrInvalidToken
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return c, ErrInvalidToken
	}
	var hdr struct {
		Alg  string          `json:"alg"`
		Crit json.RawMessage `json:"crit"`
	}
	if err := decodeSegment(parts[0], &hdr); err != nil || hdr.Alg != "HS256" || hdr.Crit != nil {
		// Only HS256: "none", RS256 with the secret as a public key and
		// critical extensions we do not understand are all refused.
		return c, ErrInvalidToken
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac(key, parts[0]+"."+parts[1])) {
		return c, ErrInvalidToken
	}
	if err := decodeSegment(parts[1], &c); err != nil || c.Sub == "" || c.Iat <= 0 || c.Exp <= c.Iat {
		return c, ErrInvalidToken
	}
	if time.Unix(c.Iat, 0).After(now.Add(clockSkew)) {
		return c, ErrInvalidToken
	}
	if !now.Before(time.Unix(c.Exp, 0)) {
		return c, ErrExpiredToken
	}
	return c, nil
}

// decodeSegment decodes one base64url JSON segment into v, refusing
// anything that is not exactly one JSON object.
func decodeSegment(seg string, v any) error {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(seg)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}
