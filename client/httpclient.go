package client

import (
	"errors"
	"net"
	"net/http"
	"time"
)

// maxAnswerHead bounds the head of an answer (status line and headers,
// interim 1xx answers included): Conductor's heads are a few hundred bytes.
const maxAnswerHead = 64 << 10

// sharedTransport is the keep-alive pool every APIClient without its own
// HTTPClient shares.
var sharedTransport = NewTransport()

// NewTransport returns a net/http transport tuned as the one clients share
// by default: the proxy from the environment, HTTP/2 when TLS offers it, up
// to 512 idle connections per host (a worker host holds one per poller and
// one per result in flight), idle connections closed after 90 s, and answer
// heads bounded to 64 KiB. Change what you need (a TLS configuration with
// your own CA, say) and pass it to NewHTTPClient.
func NewTransport() *http.Transport {
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           1024,
		MaxIdleConnsPerHost:    512,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxAnswerHead,
	}
}

// NewHTTPClient returns an http.Client on rt for Config.HTTPClient. It
// follows redirects as net/http does, but never forwards the X-Authorization
// token to another host (net/http strips only the standard Authorization
// header there). It sets no Timeout: the APIClient bounds every request with
// its context.
func NewHTTPClient(rt http.RoundTripper) *http.Client {
	return &http.Client{Transport: rt, CheckRedirect: keepTokenOnHost}
}

// keepTokenOnHost follows up to 10 redirects like net/http does, but drops
// X-Authorization when one leads to another host.
func keepTokenOnHost(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		req.Header.Del("X-Authorization")
	}
	return nil
}

// CloseIdleConnections closes the idle keep-alive connections of the
// client's HTTP client (the shared transport's, unless Config.HTTPClient
// is set). Connections in use are not interrupted.
func (c *APIClient) CloseIdleConnections() { c.cfg.HTTPClient.CloseIdleConnections() }
