package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// chart draws round trips per second as horizontal bars on a log scale,
// one group of bars per load, one bar per server.
func chart(results []measured) []byte {
	const (
		labelWidth = 300
		barWidth   = 520
		rowHeight  = 18
		top        = 40
	)
	var loads []string
	byLoad := map[string][]measured{}
	colours := map[string]string{} // each server's colour, in the order servers come
	for _, m := range results {
		if _, seen := colours[m.target]; !seen {
			colours[m.target] = palette[len(colours)%len(palette)]
		}
		load := m.shape.String()
		if _, seen := byLoad[load]; !seen {
			loads = append(loads, load)
		}
		byLoad[load] = append(byLoad[load], m)
	}
	maxDecade := 1.0
	for _, m := range results {
		maxDecade = math.Max(maxDecade, math.Ceil(math.Log10(math.Max(m.median.rtps, 1))))
	}
	scale := func(rtps float64) float64 { return barWidth * math.Log10(math.Max(rtps, 1)) / maxDecade }

	var rows strings.Builder
	y := top
	for _, load := range loads {
		fmt.Fprintf(&rows, `<text x="4" y="%d" font-weight="bold">%s</text>`+"\n", y+12, html.EscapeString(load))
		y += rowHeight
		for _, m := range byLoad[load] {
			fmt.Fprintf(&rows, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", labelWidth-6, y+12, html.EscapeString(m.target))
			fmt.Fprintf(&rows, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n",
				labelWidth, y+2, scale(m.median.rtps), rowHeight-4, colours[m.target])
			fmt.Fprintf(&rows, `<text x="%.1f" y="%d">%.0f</text>`+"\n", labelWidth+scale(m.median.rtps)+4, y+12, m.median.rtps)
			y += rowHeight
		}
		y += rowHeight / 2
	}
	var axis strings.Builder
	for d := 0.0; d <= maxDecade; d++ {
		x := labelWidth + barWidth*d/maxDecade
		fmt.Fprintf(&axis, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", x, top-6, x, y)
		fmt.Fprintf(&axis, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", x, top-10, decade(d))
	}
	width := labelWidth + barWidth + 80
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">
<rect width="100%%" height="100%%" fill="white"/>
<text x="4" y="16" font-size="14">Round trips per second (log scale; median of the runs)</text>
%s%s</svg>
`, width, y+10, axis.String(), rows.String())
}

func decade(d float64) string {
	n := math.Pow(10, d)
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%gM", n/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%gk", n/1e3)
	}
	return fmt.Sprintf("%g", n)
}

// palette has a colour for each server of the report.
var palette = []string{"#4e79a7", "#a0cbe8", "#f28e2b", "#e15759", "#ff9da7", "#59a14f",
	"#8cd17d", "#b07aa1", "#76b7b2", "#9c755f", "#edc948"}
