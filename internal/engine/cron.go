package engine

import (
	"strings"
	"time"

	cron "github.com/netresearch/go-cron"
)

// Cron expressions follow Spring's CronExpression, which Conductor's
// scheduler parses them with: six fields, seconds first; names (MON, JAN);
// ranges, lists and steps; `?`; `L`, `L-n`, `nW` and `LW` in the day of
// the month; `DAY#n` in the day of the week; the day of the month and the
// day of the week must both match; the macros @yearly, @annually,
// @monthly, @weekly, @daily, @midnight and @hourly. github.com/netresearch/go-cron
// parses them (a maintained fork of robfig/cron with these extensions).
// One of Spring's spellings it does not read is written out in
// docs/compatibility.md: `5L` for the last Friday of the month (it reads
// `5#L`). It also reads a `TZ=` prefix, which Spring does not; parseCron
// refuses it (the zone is the schedule's zoneId).
var cronParser = cron.MustNewParser(cron.Second | cron.Minute | cron.Hour | cron.Dom | cron.Month |
	cron.Dow | cron.Descriptor | cron.Extended)

// springMacros are the macros Spring's CronExpression reads; the parser
// also reads "@every" and "@triggered", which Spring does not.
var springMacros = map[string]bool{
	"@yearly": true, "@annually": true, "@monthly": true, "@weekly": true,
	"@daily": true, "@midnight": true, "@hourly": true,
}

// Bounds on what a schedule may hold, so a hostile request cannot make the
// server parse or store megabytes.
const (
	maxCronLen = 256
	maxZoneLen = 64
)

// MaxScheduleNameLen is the longest schedule name, in bytes, SaveSchedule
// takes; a longer one is a 400.
const MaxScheduleNameLen = 512

// cronSpec is a parsed cron expression with the zone it is read in.
type cronSpec struct {
	sched cron.Schedule
	loc   *time.Location
	zone  string
}

// parseCron parses expr for zone ("" is UTC). Errors are 400s that say
// what is wrong.
func parseCron(expr, zone string) (*cronSpec, error) {
	expr = strings.TrimSpace(expr)
	switch {
	case expr == "":
		return nil, badRequest("cronExpression is required")
	case len(expr) > maxCronLen:
		return nil, badRequest("Invalid cron expression: longer than %d characters", maxCronLen)
	}
	if u := strings.ToUpper(expr); strings.HasPrefix(u, "TZ=") || strings.HasPrefix(u, "CRON_TZ=") {
		return nil, badRequest("Invalid cron expression: a zone inside the expression is not supported; set zoneId")
	}
	if strings.HasPrefix(expr, "@") && !springMacros[expr] {
		return nil, badRequest("Invalid cron expression: %q is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly", expr)
	}
	s, err := cronParser.Parse(expr)
	if err != nil {
		return nil, badRequest("Invalid cron expression: %v", err)
	}
	loc, zone, err := loadZone(zone)
	if err != nil {
		return nil, err
	}
	return &cronSpec{sched: s, loc: loc, zone: zone}, nil
}

// loadZone resolves an IANA zone id as java.time.ZoneId.of would; "" is
// UTC.
func loadZone(zone string) (*time.Location, string, error) {
	if zone == "" {
		return time.UTC, "UTC", nil
	}
	if len(zone) > maxZoneLen || zone == "Local" || strings.ContainsAny(zone, "\x00\\") || strings.Contains(zone, "..") {
		return nil, "", badRequest("Unknown time-zone ID: %.64s", zone)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, "", badRequest("Unknown time-zone ID: %s", zone)
	}
	return loc, zone, nil
}

// next returns the first time after t that the expression matches, or
// false when there is none (30 February).
func (c *cronSpec) next(t time.Time) (time.Time, bool) {
	n := c.sched.Next(t.In(c.loc))
	if n.IsZero() {
		return time.Time{}, false
	}
	return n, true
}
