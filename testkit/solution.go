//go:build solution

package testkit

// Solution is true when the tests are built with -tags solution: a lab's
// grading test then grades the lab's reference solution instead of its
// starter code, and Build passes the tag on.
const Solution = true
