package ui

import (
	"html/template"
	"time"

	"github.com/batonhq/baton/model"
)

// Layout of the timeline.
const (
	ganttLabelW = 200
	ganttPlotW  = 760
	ganttRowH   = 18
	ganttAxisH  = 22
)

// renderGantt draws one bar per task: the wait in the queue (scheduled to
// started) and the run (started to ended, or to the latest time the
// execution knows of while it runs), on a shared time axis. A task is
// clickable, like its box in the diagram.
func renderGantt(tasks []model.WorkerTask, wf *model.Workflow, links pageLinks, selected string) template.HTML {
	t0, t1 := wf.StartTime, max(wf.EndTime, wf.UpdateTime)
	for i := range tasks {
		t := &tasks[i]
		if t.ScheduledTime > 0 && (t0 == 0 || t.ScheduledTime < t0) {
			t0 = t.ScheduledTime
		}
		t1 = max(t1, t.EndTime, t.UpdateTime, t.StartTime, t.ScheduledTime)
	}
	if t0 == 0 || t1 <= t0 {
		t1 = t0 + 1
	}
	span := float64(t1 - t0)
	xOf := func(ms int64) float64 { return ganttLabelW + float64(ms-t0)/span*ganttPlotW }
	width := ganttLabelW + ganttPlotW + 20
	height := ganttAxisH + len(tasks)*ganttRowH + 8
	var s svgWriter
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="timeline">`,
		width, height, width, height)
	for i := 0; i <= 4; i++ {
		x := ganttLabelW + float64(i)*ganttPlotW/4
		d := time.Duration(float64(i)/4*span) * time.Millisecond
		s.f(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="tick"/>`, x, ganttAxisH-4, x, height)
		s.f(`<text x="%.1f" y="%d" class="axis" text-anchor="middle">+%s</text>`, x, ganttAxisH-8, esc(humanDuration(d)))
	}
	for i := range tasks {
		t := &tasks[i]
		y := ganttAxisH + i*ganttRowH
		cls := "row"
		if t.TaskId == selected {
			cls += " selected"
		}
		s.f(`<a href="%s"><g class="%s"><title>%s</title>`, esc(links.task(t.TaskId)), cls,
			esc(t.ReferenceTaskName+" · "+string(t.Status)+"\nscheduled "+when(t.ScheduledTime)+
				"\nstarted "+when(t.StartTime)+"\nended "+when(t.EndTime)))
		s.f(`<text x="4" y="%d" class="glabel">%s</text>`, y+13, esc(clip(t.ReferenceTaskName, 28)))
		if t.ScheduledTime > 0 {
			start := t.StartTime
			if start == 0 {
				start = t1
				if t.Status.IsTerminal() {
					start = max(t.EndTime, t.ScheduledTime)
				}
			}
			x1, x2 := xOf(t.ScheduledTime), xOf(start)
			s.f(`<rect x="%.1f" y="%d" width="%.1f" height="%d" class="wait"/>`, x1, y+4, max(x2-x1, 1), ganttRowH-8)
			if t.StartTime > 0 {
				end := t.EndTime
				if end == 0 {
					end = t1
				}
				x3 := xOf(end)
				s.f(`<rect x="%.1f" y="%d" width="%.1f" height="%d" class="bar st-%s"/>`, x2, y+3, max(x3-x2, 2), ganttRowH-6,
					esc(stClass(string(t.Status))))
			}
		}
		s.f(`</g></a>`)
	}
	s.f(`</svg>`)
	return template.HTML(s.b.String()) // safe: every text and attribute above went through esc
}
