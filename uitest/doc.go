// Package uitest drives Baton's web UI (internal/ui) in headless Chromium:
// every screen and action, against an in-process server from batontest.
// It is a module of its own so that chromedp stays out of the main
// module.
//
// Run it with `make ui-test`, which installs Chromium first
// (scripts/install-chromium.sh), or `go test ./...` here. Without a
// Chromium binary (chromium, chromium-browser, google-chrome, or the path
// in BATON_CHROME) the tests skip and say so. With -update-screenshots
// (or BATON_UPDATE_SCREENSHOTS=1) they write a PNG of each screen to
// ../docs/ui/. TestLargeExecutions prints how long the page of a
// 1,000-iteration DO_WHILE and of a 500-branch dynamic fork take to open.
package uitest
