//go:build !linux

package main

// serverUsage is measured on Linux only.
func serverUsage(port string) string { return "not measured on this system" }
