package main

import (
	"image/color"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

type bar struct {
	label     string
	v, lo, hi float64
	// colour is 1 + the palette index of the bar's colour, so that one
	// contender's bars share one; 0 takes the colour of its position.
	colour int
}

type point struct {
	series string
	x, y   float64
}

// chartData is what the PNG shows: four panels.
type chartData struct {
	drain, latency, server   []bar
	scaleWorker, scaleServer []point
}

var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
}

func barPlot(title, ylabel string, bars []bar) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	labels := make([]string, len(bars))
	for i, b := range bars {
		labels[i] = b.label
		vals := make(plotter.Values, len(bars))
		vals[i] = b.v
		bc, err := plotter.NewBarChart(vals, vg.Points(28))
		if err != nil {
			continue
		}
		c := i
		if b.colour > 0 {
			c = b.colour - 1
		}
		bc.Color = palette[c%len(palette)]
		bc.LineStyle.Width = 0
		p.Add(bc)
	}
	if len(labels) > 0 {
		p.NominalX(labels...)
	}
	p.Add(plotter.NewGrid())
	return p
}

func linePlot(title, xlabel, ylabel string, pts []point, logX bool) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	if logX && len(pts) > 0 {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	var order []string
	series := map[string]plotter.XYs{}
	for _, pt := range pts {
		if _, ok := series[pt.series]; !ok {
			order = append(order, pt.series)
		}
		series[pt.series] = append(series[pt.series], plotter.XY{X: pt.x, Y: pt.y})
	}
	for i, name := range order {
		l, s, err := plotter.NewLinePoints(series[name])
		if err != nil {
			continue
		}
		l.Color, s.Color = palette[i%len(palette)], palette[i%len(palette)]
		l.Width = vg.Points(1.5)
		p.Add(l, s)
		p.Legend.Add(name, l, s)
	}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p
}

func (c chartData) draw(path string) error {
	plots := [][]*plot.Plot{
		{
			barPlot("1. Drain, concurrency 32 (tasks/s)", "tasks/s", c.drain),
			barPlot("2. Pickup latency (ms)", "ms", c.latency),
		},
		{
			linePlot("4a. Worker throughput vs concurrency", "concurrency", "tasks/s", c.scaleWorker, true),
			linePlot("3/4b. Server: three-task workflows/s", "concurrent starters", "workflows/s", c.scaleServer, true),
		},
	}
	img := vgimg.New(vg.Points(1100), vg.Points(800))
	dc := draw.New(img)
	canvases := plot.Align(plots, draw.Tiles{Rows: 2, Cols: 2, PadX: vg.Points(20), PadY: vg.Points(20),
		PadTop: vg.Points(10), PadBottom: vg.Points(10), PadLeft: vg.Points(10), PadRight: vg.Points(10)}, dc)
	for i := range plots {
		for j, p := range plots[i] {
			p.Draw(canvases[i][j])
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
