package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/conductor-sdk/conductor-go/sdk/client"
	"github.com/conductor-sdk/conductor-go/sdk/settings"
)

// newAPIClient makes the SDK's client as its README does: from the environment (CONDUCTOR_SERVER_URL,
// and CONDUCTOR_AUTH_KEY / CONDUCTOR_AUTH_SECRET for a server that needs a token), or, when
// SDK_CHECK_KEY_ID and SDK_CHECK_KEY_SECRET are set, with an application key given in code through
// settings.NewAuthenticationSettings. The SDK then fetches a token at POST /api/token and sends it in
// X-Authorization on every call.
func newAPIClient() *client.APIClient {
	id, secret := os.Getenv("SDK_CHECK_KEY_ID"), os.Getenv("SDK_CHECK_KEY_SECRET")
	if id == "" && secret == "" {
		return client.NewAPIClientFromEnv()
	}
	return client.NewAPIClient(settings.NewAuthenticationSettings(id, secret), settings.NewHttpSettings(os.Getenv("CONDUCTOR_SERVER_URL")))
}

// authMode describes how the check authenticates, for its PASS line.
func authMode() string {
	if os.Getenv("SDK_CHECK_KEY_ID") != "" {
		return "with an application key (settings.NewAuthenticationSettings)"
	}
	if os.Getenv("CONDUCTOR_AUTH_KEY") != "" {
		return "with an application key (CONDUCTOR_AUTH_KEY)"
	}
	return "without authentication"
}

// checkRefused is the check when SDK_CHECK_EXPECT=refused: the key is wrong, so the SDK's first call
// must fail with the server's 401, promptly and without a panic. (conductor-go swallows the failed
// token request and sends the call without a token; the server refuses that.)
func checkRefused() error {
	_, _, err := client.NewMetadataClient(newAPIClient()).GetAll(context.Background()) //nolint:bodyclose // the SDK has read and closed it
	if err == nil {
		return errors.New("MetadataClient.GetAll with a wrong key secret succeeded, want a 401")
	}
	var se client.GenericSwaggerError
	if !errors.As(err, &se) || se.StatusCode() != 401 || !strings.Contains(string(se.Body()), "INVALID_TOKEN") {
		return fmt.Errorf("MetadataClient.GetAll with a wrong key secret: %w; want a 401 with error INVALID_TOKEN", err)
	}
	return nil
}
