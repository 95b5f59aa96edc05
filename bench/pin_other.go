//go:build !linux

package main

import "errors"

// pinSelf is for Linux, where taskset pins the servers too.
func pinSelf() error { return errors.New("-pin works on Linux only") }
