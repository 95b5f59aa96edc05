//go:build !linux

package main

// uringMissing: io_uring is Linux's own.
func uringMissing() string { return "io_uring is Linux's own" }
