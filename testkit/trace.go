package testkit

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// The checks below read a server's -trace, where every call on a socket
// is a line such as "recv(sock 2, 512) = 5", a child process's lines
// begin "child N: " (chapter 04), and a socket a child inherits is named
// as it finds it: "getsockopt(fd 3, ...) = SOCK_STREAM (fd 3 is sock 1)".
// Each process numbers its own sockets, so each is checked on its own.
var (
	childLine = regexp.MustCompile(`^(child \d+): `)
	killed    = regexp.MustCompile(`^(child \d+) exited \(signal: `)
	opened    = regexp.MustCompile(`(?:= |\bis )(sock \d+)`)
	closedOK  = regexp.MustCompile(`close(?:socket)?\((sock \d+)\) = 0`)
	closeCall = regexp.MustCompile(`^close(?:socket)?\((sock \d+)\)`)
	callArgs  = regexp.MustCompile(`^[\w+]+\((.*?)\) = `)
	sockArg   = regexp.MustCompile(`sock \d+`)
	badHandle = regexp.MustCompile(`\b(WSA)?E(BADF|NOTSOCK)\b`)
)

// whose splits a trace line into the process it comes from ("" for the
// server, "child N" for a child) and the rest.
func whose(line string) (who, rest string) {
	if m := childLine.FindStringSubmatch(line); m != nil {
		return m[1], line[len(m[0]):]
	}
	return "", line
}

func named(who, sock string) string {
	if who == "" {
		return sock
	}
	return who + " " + sock
}

// Unclosed reads a trace and returns, sorted, the sockets opened and
// never closed with success: "sock 2" for the server's, "child 3 sock 1"
// for a child's. A child killed by a signal ("child N exited (signal:
// ...") closed none of its sockets; its exit did, so they are not listed.
func Unclosed(trace string) []string {
	open := map[string]bool{}
	for line := range strings.Lines(trace) {
		if m := killed.FindStringSubmatch(line); m != nil {
			for name := range open {
				if strings.HasPrefix(name, m[1]+" ") {
					delete(open, name)
				}
			}
			continue
		}
		who, rest := whose(line)
		for _, m := range opened.FindAllStringSubmatch(rest, -1) {
			open[named(who, m[1])] = true
		}
		for _, m := range closedOK.FindAllStringSubmatch(rest, -1) {
			delete(open, named(who, m[1]))
		}
	}
	names := make([]string, 0, len(open))
	for name := range open {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// CloseProblems reads a trace and returns what is wrong in how each
// process closes its sockets: one never closed (Unclosed), one named in
// a call after its close (closed twice, or used), or a call failing
// because its socket was closed (EBADF, ENOTSOCK).
func CloseProblems(trace string) []string {
	var problems []string
	closed := map[string]bool{}
	for line := range strings.Lines(trace) {
		line = strings.TrimSuffix(line, "\n")
		if badHandle.MatchString(line) {
			problems = append(problems, fmt.Sprintf("a call on a closed handle: %q", line))
		}
		who, call := whose(line)
		args := callArgs.FindStringSubmatch(call)
		if args == nil {
			continue
		}
		for _, s := range sockArg.FindAllString(args[1], -1) {
			if closed[named(who, s)] {
				problems = append(problems, fmt.Sprintf("%s used after it was closed: %q", named(who, s), line))
			}
		}
		if m := closeCall.FindStringSubmatch(call); m != nil {
			closed[named(who, m[1])] = true
		}
	}
	for _, leaked := range Unclosed(trace) {
		problems = append(problems, leaked+" was never closed")
	}
	return problems
}
