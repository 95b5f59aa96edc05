//go:build linux && solution

package main

import (
	"testing"

	"iomodels/testkit"
)

// TestLabFailsOnStarter proves the grading test honest: see testkit.LabFailsOnStarter.
// (Linux only, as the grading tests are: elsewhere they skip, so none could fail.)
func TestLabFailsOnStarter(t *testing.T) { testkit.LabFailsOnStarter(t) }

// TestLabFailsOnMutants proves the grading test honest on wrong solutions:
// see testkit.LabFailsOnMutants.
func TestLabFailsOnMutants(t *testing.T) { testkit.LabFailsOnMutants(t) }
