//go:build !race

package testkit

// RaceEnabled is true when the tests are built with -race, and so are the
// native programs Build makes: a bound on memory or time grows with it.
const RaceEnabled = false

const raceEnabled = RaceEnabled
