// Command classroom is the teacher's tool: it writes a student's copy of
// the course (the hand-out) and grades a class's copies of one lab.
//
//	go run ./classroom handout DIR
//	go run ./classroom report -lab NN-name [-limit D] [-out NAME] DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage:
  classroom handout [-repo DIR] DIR
      write a student's copy of the course to DIR: no solutions, no
      mutants, no history
  classroom report -lab NN-name [-limit D] [-out NAME] DIR
      grade the lab in each student's copy DIR/*, and write NAME.md and
      NAME.csv (default: DIR/report)
`

// errUsage is a mistake on the command line: exit status 2.
var errUsage = errors.New("usage")

func run(args []string, stdout, stderr io.Writer) int {
	var err error
	switch {
	case len(args) > 0 && args[0] == "handout":
		err = handoutCommand(args[1:], stdout, stderr)
	case len(args) > 0 && args[0] == "report":
		err = reportCommand(args[1:], stdout, stderr)
	default:
		err = errUsage
	}
	switch {
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, usage)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// parse parses a command's flags, which precede its one argument.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) (string, error) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, err)
		return "", errUsage
	}
	if fs.NArg() != 1 {
		return "", errUsage
	}
	return fs.Arg(0), nil
}
