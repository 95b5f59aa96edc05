package main

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestIPv6AddressToIPv4Server gives the server an IPv6 address. It is
// IPv4 only, as the seed's server is (getaddrinfo's hints say AF_INET),
// and must say so in one line, with the address once and the resolver's
// own error name: EAI_ADDRFAMILY from glibc (testdata/posix/errors.ct).
// Wine passes glibc's code on as it is, -9; Windows itself is not checked
// here, so its line may carry any name.
func TestIPv6AddressToIPv4Server(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, name string) {
		out, status := program.Run(t, "server", "-addr", "[::1]:0")
		first, _, _ := strings.Cut(out, "\n")
		want := regexp.MustCompile(`^\w+ ::1: this server is IPv4 only \(AF_INET, as the seed\): [^:(]+ \((` + name + `)\)$`)
		if status != 2 || !want.MatchString(first) {
			t.Errorf("exit status %d and first line %q; want 2 and a line matching %q", status, first, want)
		}
	}
	t.Run("native", func(t *testing.T) {
		name := "EAI_ADDRFAMILY"
		if runtime.GOOS == "windows" {
			name = `[A-Z_]+`
		}
		run(t, testkit.NativeProgram("04-process-per-conn", nativeBinary), name)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "04-process-per-conn", windowsBinary), "EAI_ADDRFAMILY")
	})
}
