package main

import (
	"regexp"
	"testing"

	"iomodels/testkit"
)

// TestMeasure runs the measure command briefly and checks that it reports
// a row for each poll interval, on both builds; -v prints the table. The
// README's numbers come from "go run ./02-nonblocking-ioctl measure", run
// at full length.
func TestMeasure(t *testing.T) {
	eachProgram(t, func(t *testing.T, program *testkit.Program) {
		out, status := program.Run(t, "measure", "-duration", "200ms", "-rounds", "3")
		t.Logf("\n%s", out)
		if status != 0 {
			t.Fatalf("measure exited %d", status)
		}
		for _, row := range []string{`no server`, `0 \(spin\)`, `1ms`, `100ms`} {
			if !regexp.MustCompile(`(?m)^` + row + ` +\d+\.\d%`).MatchString(out) {
				t.Errorf("no row for %s", row)
			}
		}
	})
}
