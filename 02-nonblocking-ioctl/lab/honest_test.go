//go:build solution

package main

import (
	"testing"

	"iomodels/testkit"
)

// TestLabFailsOnStarter proves the grading test honest: see testkit.LabFailsOnStarter.
func TestLabFailsOnStarter(t *testing.T) { testkit.LabFailsOnStarter(t) }

// TestLabFailsOnMutants proves the grading test honest on wrong solutions:
// see testkit.LabFailsOnMutants.
func TestLabFailsOnMutants(t *testing.T) { testkit.LabFailsOnMutants(t) }
