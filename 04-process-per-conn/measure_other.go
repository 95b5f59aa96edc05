//go:build !linux

package main

// treeRSS returns the resident memory of the process pid and its children,
// which this chapter reads from Linux's /proc only: -1, shown as n/a.
func treeRSS(pid int) (int, error) { return -1, nil }
