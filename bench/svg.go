package main

import (
	"cmp"
	"fmt"
	"html"
	"slices"
	"strings"
)

// chart draws one group of bars per load, fastest server first, so that
// the ranking of the models under each load is read at a glance. Within a
// group the scale is linear (the fastest bar is full width) and each bar
// says its round trips per second and its ratio to Go net of the same
// protocol. Yardsticks are grey; rows that measure something besides the
// model (dominatedBy) are pale.
func chart(targets []built, results []measured) []byte {
	const (
		labelWidth = 250
		barWidth   = 440
		rowHeight  = 18
		top        = 58
	)
	info := map[string]target{}
	for _, t := range targets {
		info[t.name] = t.target
	}
	var loads []string
	byLoad := map[string][]measured{}
	for _, m := range results {
		load := m.shape.String()
		if _, seen := byLoad[load]; !seen {
			loads = append(loads, load)
		}
		byLoad[load] = append(byLoad[load], m)
	}
	var rows strings.Builder
	y := top
	for _, load := range loads {
		group := slices.Clone(byLoad[load])
		slices.SortStableFunc(group, func(a, b measured) int { return cmp.Compare(b.median.rtps, a.median.rtps) })
		fastest := max(group[0].median.rtps, 1)
		fmt.Fprintf(&rows, `<text x="4" y="%d" font-weight="bold">%s</text>`+"\n", y+13, html.EscapeString(load))
		y += rowHeight + 2
		for _, m := range group {
			t := info[m.target]
			width := barWidth * m.median.rtps / fastest
			opacity := "1"
			if t.dominatedBy != "" {
				opacity = "0.35"
			}
			fmt.Fprintf(&rows, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n",
				labelWidth-6, y+12, html.EscapeString(m.target))
			fmt.Fprintf(&rows, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s" fill-opacity="%s"/>`+"\n",
				labelWidth, y+2, width, rowHeight-4, colourOf(t), opacity)
			fmt.Fprintf(&rows, `<text x="%.1f" y="%d">%.0f<tspan dx="8" fill="#444">%s</tspan></text>`+"\n",
				labelWidth+width+4, y+12, m.median.rtps, ratioText(m, t, byLoad[load]))
			y += rowHeight
		}
		y += rowHeight / 2
	}
	width := labelWidth + barWidth + 150
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
<text x="4" y="18" font-size="15">Round trips per second under each load, fastest first (median of the runs)</text>
<text x="4" y="36" fill="#444">Each group on its own linear scale; x: against Go net of the same protocol. Grey: the yardsticks;</text>
<text x="4" y="50" fill="#444">pale: a row that measures something besides the model (the poll interval, Nagle's algorithm).</text>
%s</svg>
`, width, y+10, rows.String())
}

// ratioText is "0.91x": m's round trips per second against the Go net
// server of the same protocol under the same load ("" for that server).
func ratioText(m measured, t target, group []measured) string {
	base := "go-net echo"
	if t.proto == line {
		base = "go-net line"
	}
	for _, y := range group {
		if y.target == base && m.target != base && y.median.rtps > 0 {
			ratio := m.median.rtps / y.median.rtps
			if ratio < 0.1 {
				return fmt.Sprintf("%.2gx", ratio) // 0.0035x, not 0.00x
			}
			return fmt.Sprintf("%.2fx", ratio)
		}
	}
	return ""
}

// colourOf gives the yardsticks greys and each chapter its own colour, the
// same in every group.
func colourOf(t target) string {
	switch {
	case strings.HasPrefix(t.name, "go-net"):
		return "#9a9a9a"
	case t.yardstick:
		return "#505050"
	}
	chapterColours := map[string]string{
		"01-blocking": "#f28e2b", "02-nonblocking-ioctl": "#e15759", "03-thread-per-conn": "#59a14f",
		"04-process-per-conn": "#76b7b2", "05-overlapped-routines": "#4e79a7",
	}
	if c, ok := chapterColours[t.chapter]; ok {
		if strings.HasSuffix(t.name, " poll") {
			return "#a0cbe8" // 05's readiness emulation: 05's colour, lighter
		}
		return c
	}
	return "#b07aa1"
}
