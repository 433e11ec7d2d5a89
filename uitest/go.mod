module github.com/batonhq/baton/uitest

go 1.26.0

replace github.com/batonhq/baton => ../

require (
	github.com/batonhq/baton v0.0.0-00010101000000-000000000000
	github.com/chromedp/chromedp v0.23.1
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
)
