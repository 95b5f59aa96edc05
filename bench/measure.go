package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"
)

// runFigures is what one run of one shape gave.
type runFigures struct {
	rtps       float64 // round trips per second
	mbps       float64 // megabytes per second, both directions
	p50, p99   time.Duration
	p999       time.Duration
	cpuPerRT   time.Duration // server CPU per round trip
	loadPerRT  time.Duration // the load generator's CPU per round trip
	memPerConn float64       // server's resident bytes per connection
	errors     int64
	firstError string
}

// measured is one target under one shape: the median of its runs.
type measured struct {
	target string
	shape  shape
	median runFigures
	runs   int
	errors int64 // over every run
	note   string
}

func (m measured) line() string {
	f := m.median
	s := fmt.Sprintf("%-34s %-24s %10.0f rt/s  p99 %-9v cpu %-8v mem/conn %s",
		m.target, m.shape, f.rtps, f.p99.Round(time.Microsecond), f.cpuPerRT.Round(100*time.Nanosecond), bytesText(f.memPerConn))
	if m.errors > 0 {
		s += fmt.Sprintf("  ERRORS %d (%s)", m.errors, m.note)
	}
	return s
}

// measure runs shape against a fresh server o.runs times.
func measure(ctx context.Context, b built, sh shape, o options) measured {
	m := measured{target: b.name, shape: sh}
	var runs []runFigures
	for range o.runs {
		f, err := measureOnce(ctx, b, sh, o)
		if err != nil {
			f.errors++
			f.firstError = err.Error()
		}
		m.errors += f.errors
		if f.firstError != "" && m.note == "" {
			m.note = f.firstError
		}
		runs = append(runs, f)
		if ctx.Err() != nil {
			break
		}
	}
	m.runs = len(runs)
	m.median = medianOf(runs)
	return m
}

func measureOnce(ctx context.Context, b built, sh shape, o options) (runFigures, error) {
	var f runFigures
	s, err := startServer(ctx, b, o.pin)
	if err != nil {
		return f, err
	}
	idle, _ := processUsage(s.pid())
	var before, after usage
	var loadBefore, loadAfter time.Duration
	snaps := 0
	snap := func() {
		u, _ := processUsage(s.pid())
		self := ownCPU(os.Getpid())
		if snaps == 0 {
			before, loadBefore = u, self
		} else {
			after, loadAfter = u, self
		}
		snaps++
	}
	res := runLoad(ctx, s.addr, b.proto, sh, o.duration, snap)
	if err := s.stop(); err != nil && res.firstError == nil {
		res.errors++
		res.firstError = fmt.Errorf("server: %v", err)
	}

	f.errors = res.errors
	if res.firstError != nil {
		f.firstError = res.firstError.Error()
	}
	if res.roundTrips == 0 || res.elapsed <= 0 {
		return f, nil
	}
	seconds := res.elapsed.Seconds()
	f.rtps = float64(res.roundTrips) / seconds
	f.mbps = float64(res.bytes) / seconds / 1e6
	slices.Sort(res.latencies)
	f.p50, f.p99, f.p999 = quantile(res.latencies, 0.5), quantile(res.latencies, 0.99), quantile(res.latencies, 0.999)
	f.cpuPerRT = (after.cpu - before.cpu) / time.Duration(res.roundTrips)
	f.loadPerRT = (loadAfter - loadBefore) / time.Duration(res.roundTrips)
	f.memPerConn = float64(after.rss-idle.rss) / float64(sh.conns)
	return f, nil
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// medianOf takes the median of each figure on its own.
func medianOf(runs []runFigures) runFigures {
	pick := func(get func(runFigures) float64) float64 {
		values := make([]float64, len(runs))
		for i, r := range runs {
			values[i] = get(r)
		}
		slices.Sort(values)
		return values[len(values)/2]
	}
	duration := func(get func(runFigures) time.Duration) time.Duration {
		return time.Duration(pick(func(r runFigures) float64 { return float64(get(r)) }))
	}
	return runFigures{
		rtps:       pick(func(r runFigures) float64 { return r.rtps }),
		mbps:       pick(func(r runFigures) float64 { return r.mbps }),
		p50:        duration(func(r runFigures) time.Duration { return r.p50 }),
		p99:        duration(func(r runFigures) time.Duration { return r.p99 }),
		p999:       duration(func(r runFigures) time.Duration { return r.p999 }),
		cpuPerRT:   duration(func(r runFigures) time.Duration { return r.cpuPerRT }),
		loadPerRT:  duration(func(r runFigures) time.Duration { return r.loadPerRT }),
		memPerConn: pick(func(r runFigures) float64 { return r.memPerConn }),
	}
}

func bytesText(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}
