// Command bench runs one load against every chapter's TCP server, against
// Go's own net package and against two C servers, prints what it measured,
// and with -write writes docs/benchmarks.md and docs/benchmarks.svg.
//
//	go run ./bench              every shape, 3 runs each, medians printed
//	go run ./bench -pin -write  servers and load on CPU 0 (Linux), the stable
//	                            figure, written to docs/benchmarks.md
//	go run ./bench -quick       a short run that proves the runner works
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "netserver" {
		os.Exit(serveNet(os.Args[2:]))
	}
	os.Exit(run(os.Args[1:]))
}

// options are the runner's flags.
type options struct {
	quick    bool
	pin      bool
	runs     int
	duration time.Duration
	out      string
	only     string
	write    bool
	// flagsGiven are the flags as given, for the page to say how it was made.
	flagsGiven []string
}

func run(args []string) int {
	var o options
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.BoolVar(&o.quick, "quick", false, "one short run of two shapes, to prove the runner works")
	flags.BoolVar(&o.pin, "pin", false, "run the servers and the load on CPU 0 (Linux, with taskset)")
	flags.IntVar(&o.runs, "runs", 3, "runs of each shape; the report gives medians")
	flags.DurationVar(&o.duration, "duration", 5*time.Second, "how long the clock runs for each run")
	flags.BoolVar(&o.write, "write", false, "write the report as benchmarks.md and .svg (without it, print only)")
	flags.StringVar(&o.out, "out", "", "where -write writes benchmarks.md and .svg (default: docs/ of the repository)")
	flags.StringVar(&o.only, "only", "", "measure only these targets (comma-separated names)")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected argument %q\n", flags.Arg(0))
		flags.Usage()
		return 2
	}
	flags.Visit(func(f *flag.Flag) {
		if f.Name != "out" {
			o.flagsGiven = append(o.flagsGiven, "-"+f.Name+valueText(f))
		}
	})
	if o.quick {
		o.runs, o.duration = 1, 300*time.Millisecond
	}
	// Ctrl-C ends the run; every server started is killed with the context.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if err := bench(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	return 0
}

func bench(ctx context.Context, o options) error {
	root, err := repositoryRoot()
	if err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join(root, "docs")
	}
	if o.pin {
		if err := pinSelf(); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "iomodels-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	fmt.Println("building the servers")
	targets := buildAll(root, dir, selectTargets(o.only))
	shapes := fullShapes
	if o.quick {
		shapes = quickShapes
	}
	var results []measured
	for _, b := range targets {
		if b.skipped != "" {
			fmt.Printf("%-28s skipped: %s\n", b.name, b.skipped)
			continue
		}
		for _, sh := range shapes {
			if !planned(b.target, sh) {
				continue
			}
			m := measure(ctx, b, sh.shape, o)
			fmt.Println(m.line())
			results = append(results, m)
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	return report(o, targets, results)
}

// valueText is " VALUE" for a flag that takes one, "" for a boolean.
func valueText(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return ""
	}
	if v := f.Value.String(); strings.ContainsAny(v, " ,") {
		return " " + strconv.Quote(v)
	}
	return " " + f.Value.String()
}

// repositoryRoot is the directory of the go.work file.
func repositoryRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOWORK").Output()
	work := strings.TrimSpace(string(out))
	if err != nil || work == "" || work == "off" {
		return "", fmt.Errorf("run bench from inside the repository (go env GOWORK: %q)", work)
	}
	return filepath.Dir(work), nil
}
