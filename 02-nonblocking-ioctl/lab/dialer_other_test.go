//go:build !linux

package main

import "net"

// slowReaderDialer returns a plain dialer: only on Linux do we know how to
// make a connection's buffers small (see dialer_linux_test.go), so
// elsewhere TestSlowReader may not fill them.
func slowReaderDialer() *net.Dialer { return &net.Dialer{} }
