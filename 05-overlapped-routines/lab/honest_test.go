//go:build linux && solution

package main

import (
	"testing"

	"iomodels/testkit"
)

// TestLabFailsOnStarter proves the grading test honest: see testkit.LabFailsOnStarter.
// (Linux only, as the grading tests are: elsewhere they skip, so none could
// fail. Where Wine runs, both starters are graded, and the failures both
// declare are expected; where it does not, the Windows half's tests skip,
// and only starter_linux.go's are.)
func TestLabFailsOnStarter(t *testing.T) { testkit.LabFailsOnStarter(t) }

// TestLabFailsOnMutants proves the grading test honest on wrong solutions
// of both halves: see testkit.LabFailsOnMutants. (A mutant of the Windows
// half is graded under Wine, and skips where Wine is missing.)
func TestLabFailsOnMutants(t *testing.T) { testkit.LabFailsOnMutants(t) }
