// The command line's frame, the same in every chapter: main, the command
// taken off the arguments, the flags each command takes, the exit status.
// What is the chapter's own (its commands, flags, usage and help) is in
// main.go.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// splitCommand takes the command off args: the first argument unless it
// is a flag, else "demo". A command that takes has no entry for is a
// usage error.
func splitCommand(args []string, takes map[string][]string) (string, []string, error) {
	command := "demo"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	if _, ok := takes[command]; !ok {
		return "", nil, usageError{fmt.Errorf("unknown command %q", command)}
	}
	return command, args, nil
}

// newFlags returns the flag set of command; a mistake prints the usage.
func newFlags(command string, stderr io.Writer) *flag.FlagSet {
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	return flags
}

// parseFlags parses args. It returns the exit status and true when the
// run ends there: 0 after -h, with the help printed; 2 after a mistake,
// which flags has printed with the usage.
func parseFlags(flags *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	err := flags.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, help)
		return 0, true
	}
	return 2, true
}

// onlyItsFlags checks that the command was given only the flags it takes,
// and arguments only if it takes them.
func onlyItsFlags(flags *flag.FlagSet, takes []string, takesArgs bool) error {
	var wrong error
	flags.Visit(func(f *flag.Flag) {
		if wrong == nil && !slices.Contains(takes, f.Name) {
			wrong = usageError{fmt.Errorf("the %s does not take -%s", flags.Name(), f.Name)}
		}
	})
	if wrong == nil && !takesArgs && flags.NArg() > 0 {
		wrong = usageError{fmt.Errorf("the %s takes no arguments", flags.Name())}
	}
	return wrong
}

// checkTimeout checks a client's -timeout: the same bounds in every
// chapter, since Winsock takes a timeout in whole milliseconds, where 0
// means none.
func checkTimeout(d time.Duration) error {
	if d < time.Millisecond || d > time.Hour {
		return usageError{fmt.Errorf("bad -timeout %v: want 1ms to 1h", d)}
	}
	return nil
}

// usageError is a mistake on the command line: exitStatus prints the
// usage after it and returns 2.
type usageError struct{ error }

// exitStatus prints err, if any, as one line and returns the exit status.
// A mistake on the command line is a usage error (2), and so is a name
// that does not resolve, as a bad port is.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, err)
	var failed *opError
	if errors.As(err, new(usageError)) || errors.As(err, &failed) && failed.call == nameResolver {
		fmt.Fprint(stderr, usage)
		return 2
	}
	return 1
}

// parseEndpoint splits HOST:PORT and checks the port.
func parseEndpoint(addr string) (endpoint, error) {
	host, port, err := net.SplitHostPort(addr) // only to split the string
	if err != nil {
		return endpoint{}, usageError{fmt.Errorf("bad address %q: want HOST:PORT", addr)}
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return endpoint{}, usageError{fmt.Errorf("bad port %q: want a number from 0 to 65535", port)}
	}
	return endpoint{host: host, port: uint16(n)}, nil
}
