package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// What every chapter shares (the socket layer, the command line's frame,
// the demos' terminal) is written once, in a source chapter, and copied
// into the others, so that a chapter stays one folder a reader opens. A
// copy must be its source's, declaration by declaration, doc comments
// included, or differ where shared_exceptions.go declares it, with the
// reason. The check is TestSharedCode; the same differences, edge by edge,
// are listed in diffs.md.

// sharedFile is a file the chapters carry, copied from source.
type sharedFile struct {
	name   string   // the file's name in each chapter
	source string   // the chapter it is copied from
	in     []string // the chapters that carry a copy; nil: every chapter
}

var sharedFiles = []sharedFile{
	{"errors_windows.go", "01-blocking", nil},
	{"getaddrinfo_unix.go", "01-blocking", nil},
	{"getaddrinfo_windows.go", "01-blocking", nil},
	{"sockets.go", "01-blocking", nil},
	{"calls.go", "01-blocking", nil},
	{"sock_unix.go", "01-blocking", nil},
	{"sock_windows.go", "01-blocking", nil},
	{"stream.go", "01-blocking", streamChapters},
	{"stream_unix.go", "01-blocking", streamChapters},
	{"stream_windows.go", "01-blocking", streamChapters},
	{"stop.go", "01-blocking", nil},
	{"stop_unix.go", "01-blocking", nil},
	{"stop_windows.go", "01-blocking", nil},
	{"timeout.go", "01-blocking", nil},
	{"timeout_unix.go", "01-blocking", nil},
	{"timeout_windows.go", "01-blocking", nil},
	{"reuseaddr.go", "04-process-per-conn", []string{"07-peer-chat"}},
	{"reuseaddr_unix.go", "04-process-per-conn", []string{"07-peer-chat"}},
	{"reuseaddr_windows.go", "04-process-per-conn", []string{"07-peer-chat"}},
	{"setup.go", "01-blocking", []string{"02-nonblocking-ioctl", "03-thread-per-conn",
		"04-process-per-conn", "05-overlapped-routines", "07-peer-chat"}},
	{"cli.go", "01-blocking", nil},
	{"interrupt.go", "01-blocking", nil},
	{"sparep.go", "01-blocking", []string{"05-overlapped-routines"}},
	{"terminal.go", "01-blocking", nil},
	{"isterminal_linux.go", "02-nonblocking-ioctl", []string{"05-overlapped-routines"}},
	{"isterminal_bsd.go", "02-nonblocking-ioctl", []string{"05-overlapped-routines"}},
	{"isterminal_windows.go", "02-nonblocking-ioctl", []string{"05-overlapped-routines"}},
}

// streamChapters are the chapters whose sockets are stream sockets (TCP):
// every one but 06, whose datagram sockets make none of stream.go's calls.
var streamChapters = []string{"02-nonblocking-ioctl", "03-thread-per-conn",
	"04-process-per-conn", "05-overlapped-routines", "07-peer-chat"}

// carries tells whether chapter ch has a copy of f.
func (f sharedFile) carries(ch string) bool {
	return f.in == nil || ch == f.source || slices.Contains(f.in, ch)
}

// chapters are the course's chapters, in order.
var chapters = []string{
	"01-blocking", "02-nonblocking-ioctl", "03-thread-per-conn", "04-process-per-conn",
	"05-overlapped-routines", "06-udp", "07-peer-chat",
}

// wholeFile stands for the file itself in a difference: the chapter has
// no copy of it.
const wholeFile = "(the file)"

// difference is one declaration of a shared file that a chapter's copy
// does not have as its source has it.
type difference struct {
	chapter, file, decl string
	how                 string // "differs", "only in the source", "only in this chapter"
}

func (d difference) key() string { return d.chapter + " " + d.file + " " + d.decl }

// sharedDifferences returns every difference between the copies of the
// shared files and their sources, in the order of chapters, files and
// declarations.
func sharedDifferences(root string) ([]difference, error) {
	var all []difference
	for _, f := range sharedFiles {
		source, err := declarations(filepath.Join(root, f.source, f.name))
		if err != nil {
			return nil, err
		}
		for _, ch := range chapters {
			if ch == f.source || !f.carries(ch) {
				continue
			}
			copied, err := declarations(filepath.Join(root, ch, f.name))
			if os.IsNotExist(err) {
				all = append(all, difference{ch, f.name, wholeFile, "only in the source"})
				continue
			}
			if err != nil {
				return nil, err
			}
			all = append(all, compare(ch, f.name, source, copied)...)
		}
	}
	return all, nil
}

func compare(chapter, file string, source, copied map[string]string) []difference {
	var diffs []difference
	for _, name := range sortedKeys(source) {
		text, ok := copied[name]
		switch {
		case !ok:
			diffs = append(diffs, difference{chapter, file, name, "only in the source"})
		case text != source[name]:
			diffs = append(diffs, difference{chapter, file, name, "differs"})
		}
	}
	for _, name := range sortedKeys(copied) {
		if _, ok := source[name]; !ok {
			diffs = append(diffs, difference{chapter, file, name, "only in this chapter"})
		}
	}
	return diffs
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// exception is a declared difference, and why the chapter differs there.
type exception struct {
	chapter, file, decl string
	why                 string
}

func (e exception) key() string { return e.chapter + " " + e.file + " " + e.decl }

// exceptionRow writes a difference as a row of shared_exceptions.go.
func exceptionRow(d difference, why string) string {
	return fmt.Sprintf("\t{%q, %q, %q, %q},", d.chapter, d.file, d.decl, why)
}
