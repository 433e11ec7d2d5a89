package ui

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"
)

// Layout of the diagram, in SVG user units (CSS pixels).
const (
	boxW     = 176 // a task's box
	boxH     = 42
	extraH   = 16 // the link line under a box
	gapY     = 26 // between boxes of a sequence
	gapX     = 18 // between branches
	labelH   = 16 // a switch case's label above its branch
	navH     = 20 // a loop's iteration links
	framePad = 12 // inside a loop's frame
	margin   = 16
	emptyW   = 60 // a branch with no tasks
)

// measure returns a node's width and height.
func measure(n *node) (w, h int) {
	switch n.kind {
	case kindFork, kindSwitch, kindDynFork:
		bw, bh := branchesSize(n)
		h = boxH + gapY + bh + gapY/2 + 4
		if n.kind == kindSwitch {
			h += labelH
		}
		if len(n.nav) > 0 {
			h += navH
		}
		return max(boxW, bw), h
	case kindLoop:
		sw, sh := seqSize(n.body)
		h = boxH + gapY/2 + framePad*2 + sh
		if len(n.nav) > 0 {
			h += navH
		}
		return max(boxW, sw+2*framePad), h
	default:
		h = boxH
		if n.extra != nil {
			h += extraH
		}
		return boxW, h
	}
}

func seqSize(ns []*node) (w, h int) {
	if len(ns) == 0 {
		return emptyW, 0
	}
	for i, n := range ns {
		nw, nh := measure(n)
		w = max(w, nw)
		h += nh
		if i > 0 {
			h += gapY
		}
	}
	return w, h
}

func branchesSize(n *node) (w, h int) {
	for i, b := range n.branches {
		bw, bh := seqSize(b.nodes)
		w += bw
		if i > 0 {
			w += gapX
		}
		h = max(h, bh)
	}
	return w, h
}

// svgWriter accumulates the drawing.
type svgWriter struct{ b strings.Builder }

func (s *svgWriter) f(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// esc escapes text for an SVG element or attribute.
func esc(s string) string { return template.HTMLEscapeString(s) }

// clip shortens a label to fit a box.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// renderDiagram draws the nodes of a workflow, top to bottom, between a
// start and an end marker.
func renderDiagram(nodes []*node, label string) template.HTML {
	w, h := seqSize(nodes)
	w = max(w, boxW)
	total := h + 2*margin + 2*(gapY+12)
	width := w + 2*margin
	var s svgWriter
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		width, total, width, total, esc(label))
	s.f(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
		`<path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`)
	cx := margin + w/2
	y := margin
	s.f(`<circle cx="%d" cy="%d" r="8" class="terminal"/>`, cx, y+6)
	s.arrow(cx, y+14, cx, y+12+gapY)
	y += 12 + gapY
	y = s.seq(nodes, margin, y, w)
	s.arrow(cx, y, cx, y+gapY)
	s.f(`<circle cx="%d" cy="%d" r="8" class="terminal end"/>`, cx, y+gapY+6)
	s.f(`</svg>`)
	return template.HTML(s.b.String()) // safe: every text and attribute above went through esc
}

func (s *svgWriter) arrow(x1, y1, x2, y2 int) {
	s.f(`<line x1="%d" y1="%d" x2="%d" y2="%d" class="edge" marker-end="url(#arrow)"/>`, x1, y1, x2, y2)
}

func (s *svgWriter) line(x1, y1, x2, y2 int) {
	s.f(`<path d="M%d,%d L%d,%d" class="edge"/>`, x1, y1, x2, y2)
}

// seq draws a sequence in a column of width w from y; returns its bottom.
func (s *svgWriter) seq(ns []*node, x, y, w int) int {
	cx := x + w/2
	if len(ns) == 0 {
		return y
	}
	for i, n := range ns {
		nw, nh := measure(n)
		s.node(n, x+(w-nw)/2, y, nw)
		y += nh
		if i < len(ns)-1 {
			s.arrow(cx, y, cx, y+gapY)
			y += gapY
		}
	}
	return y
}

// box draws a task's box centred in [x, x+w).
func (s *svgWriter) box(n *node, x, y, w int) {
	bx := x + (w-boxW)/2
	cls := "node st-" + stClass(n.status)
	if n.selected {
		cls += " selected"
	}
	if n.href != "" {
		s.f(`<a href="%s" class="nodelink" data-ref="%s">`, esc(n.href), esc(n.ref))
	}
	s.f(`<g class="%s" data-ref="%s"><title>%s</title>`, esc(cls), esc(n.ref), esc(n.title))
	s.f(`<rect x="%d" y="%d" width="%d" height="%d" rx="6"/>`, bx, y, boxW, boxH)
	s.f(`<text x="%d" y="%d" class="l1">%s</text>`, bx+10, y+17, esc(clip(n.label, 24)))
	s.f(`<text x="%d" y="%d" class="l2">%s</text>`, bx+10, y+33, esc(clip(n.sub, 28)))
	s.f(`</g>`)
	if n.href != "" {
		s.f(`</a>`)
	}
	if n.extra != nil {
		s.f(`<a href="%s" class="extralink"><text x="%d" y="%d" class="extra">↗ %s</text></a>`,
			esc(n.extra.href), bx+10, y+boxH+13, esc(n.extra.text))
	}
}

func stClass(status string) string {
	if status == "" {
		return "none"
	}
	return strings.ToLower(status)
}

// node draws n with its top-left corner at (x, y) in a column of width w.
func (s *svgWriter) node(n *node, x, y, w int) {
	cx := x + w/2
	switch n.kind {
	case kindFork, kindSwitch, kindDynFork:
		s.box(n, x, y, w)
		top := y + boxH
		if len(n.nav) > 0 {
			s.nav(n.nav, cx, top+14)
			top += navH
		}
		bw, bh := branchesSize(n)
		by := top + gapY
		if n.kind == kindSwitch {
			by += labelH
		}
		bx := x + (w-bw)/2
		mergeY := by + bh + gapY/2
		for _, b := range n.branches {
			cw, _ := seqSize(b.nodes)
			bcx := bx + cw/2
			if b.dim {
				s.f(`<g class="dim">`)
			}
			mid := top + gapY/2
			s.line(cx, top, cx, mid)
			s.line(cx, mid, bcx, mid)
			s.arrow(bcx, mid, bcx, by)
			if n.kind == kindSwitch {
				cls := "case"
				if b.taken {
					cls += " taken"
				}
				s.f(`<text x="%d" y="%d" class="%s">%s</text>`, bcx+5, by-4, cls, esc(clip(b.label, 22)))
			}
			end := s.seq(b.nodes, bx, by, cw)
			s.line(bcx, end, bcx, mergeY)
			s.line(bcx, mergeY, cx, mergeY)
			if b.dim {
				s.f(`</g>`)
			}
			bx += cw + gapX
		}
		s.f(`<circle cx="%d" cy="%d" r="4" class="merge"/>`, cx, mergeY)
	case kindLoop:
		s.box(n, x, y, w)
		top := y + boxH
		if len(n.nav) > 0 {
			s.nav(n.nav, cx, top+14)
			top += navH
		}
		fw := w
		fy := top + gapY/2
		_, bh := seqSize(n.body)
		s.line(cx, top, cx, fy)
		s.f(`<rect x="%d" y="%d" width="%d" height="%d" rx="8" class="loopframe"/>`, x, fy, fw, bh+2*framePad)
		s.f(`<text x="%d" y="%d" class="loopmark">↻</text>`, x+fw-18, fy+16)
		s.seq(n.body, x+framePad, fy+framePad, fw-2*framePad)
	default:
		s.box(n, x, y, w)
	}
}

// nav draws a row of links centred on cx.
func (s *svgWriter) nav(links []link, cx, y int) {
	s.f(`<text x="%d" y="%d" class="nav" text-anchor="middle">`, cx, y)
	for i, l := range links {
		if i > 0 {
			s.f(`<tspan> </tspan>`)
		}
		if l.href == "" {
			s.f(`<tspan class="current">%s</tspan>`, esc(l.text))
			continue
		}
		s.f(`<a href="%s"><tspan class="navlink">%s</tspan></a>`, esc(l.href), esc(l.text))
	}
	s.f(`</text>`)
}
