package main

import "testing"

// TestDefaultAddress pins a fix to the seed: the seed's server listens on
// every interface (INADDR_ANY), so anyone who can reach the machine can
// reach it. This one listens on 127.0.0.1, at the seed's port, unless the
// user asks for more with -addr.
func TestDefaultAddress(t *testing.T) {
	at, err := parseEndpoint(defaultAddr)
	if err != nil {
		t.Fatal(err)
	}
	if at.host != "127.0.0.1" || at.port != 9901 {
		t.Errorf("the default address is %s:%d; want 127.0.0.1:9901 (loopback only, the seed's port)", at.host, at.port)
	}
}
