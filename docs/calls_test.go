package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// notCalls are the x/sys functions the chapters call that make no system
// call of their own, so the table of calls leaves them out.
var notCalls = map[string]string{
	"unix.Errno":                  "a conversion",
	"unix.Sockaddr":               "a conversion",
	"unix.ErrnoName":              "the name of an errno value",
	"unix.NsecToTimespec":         "builds a struct",
	"unix.NsecToTimeval":          "builds a struct",
	"windows.Errno":               "a conversion",
	"windows.Handle":              "a conversion",
	"windows.NewLazySystemDLL":    "names a DLL; its procedures are in the table",
	"windows.StringToUTF16Ptr":    "converts a string",
	"windows.UTF16PtrFromString":  "converts a string",
	"windows.ByteSliceFromString": "converts a string",
	"windows.UTF16ToString":       "converts a string",
	"windows.NewCallback":         "makes a Go function callable as a completion routine; the routines are in the table",
	"windows.CurrentProcess":      "a pseudo handle, no call",
	"windows.CurrentThread":       "a pseudo handle, no call",
	"syscall.SyscallN":            "calls a loaded procedure; the procedures are in the table",
	"unix.Syscall":                "makes a raw system call; the calls are in the table by their numbers",
	"unix.Syscall6":               "makes a raw system call; the calls are in the table by their numbers",
}

// TestCallTable checks winsock-posix-go.md: every x/sys name it gives
// exists, every gap filler is in the file it links to, each row's chapter is
// the first place in the course that uses the row's calls, and every x/sys
// function and ws2_32 procedure the course calls has a row.
func TestCallTable(t *testing.T) {
	ct := newCallTable(t)
	rows := tableRows(read(t, ct.page))
	if len(rows) < 20 {
		t.Fatalf("winsock-posix-go.md: %d rows; the course makes more calls than that", len(rows))
	}
	for _, row := range rows {
		ct.checkRow(t, row)
	}
	ct.checkEveryCallListed(t)
}

// callTable is what the rows of winsock-posix-go.md are checked against,
// and what they have listed so far.
type callTable struct {
	page         string          // the page, which its links are relative to
	xsys         map[string]bool // the exported names of x/sys's unix and windows
	order        []place         // where the course's code lives, in reading order
	sources      []string        // the code of each place of order
	studentsCopy bool            // no classroom/: a lab's solution is not there
	listed       map[string]bool // the x/sys names and "proc NAME"s of the rows
}

func newCallTable(t *testing.T) *callTable {
	t.Helper()
	ct := &callTable{
		page:   filepath.Join(root, "docs", "winsock-posix-go.md"),
		xsys:   xsysNames(t),
		order:  places(),
		listed: map[string]bool{},
	}
	ct.sources = make([]string, len(ct.order))
	for i, p := range ct.order {
		ct.sources[i] = code(t, p.dir)
	}
	// In a student's copy (no classroom/), a lab's call that only its
	// solution makes is the student's to write: used nowhere is right there.
	_, err := os.Stat(filepath.Join(root, "classroom"))
	ct.studentsCopy = err != nil
	return ct
}

// firstUse returns the index in order of the first place whose code uses
// token, or -1.
func (ct *callTable) firstUse(token string) int {
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(token) + `\b`)
	for i, src := range ct.sources {
		if re.MatchString(src) {
			return i
		}
	}
	return -1
}

// checkRow checks one row: its cells, its names, and that its last cell
// links to the first place that uses them.
func (ct *callTable) checkRow(t *testing.T, row string) {
	t.Helper()
	c := cells(row)
	if len(c) < 4 {
		t.Errorf("row %q: want 4 cells (Windows, POSIX, x/sys or gap filler, first used in)", row)
		return
	}
	for _, m := range codeSpanRE.FindAllStringSubmatch(c[0], -1) {
		name, _, _ := strings.Cut(m[1], "(")
		ct.listed["proc "+name] = true
	}
	first := ct.checkNames(t, row, c)
	links := linkRE.FindAllStringSubmatch(c[3], -1)
	if len(links) != 1 {
		t.Errorf("row %q: the last cell must link to the chapter (or lab) that first uses the call", row)
		return
	}
	if first >= 0 && filepath.Clean(target(ct.page, links[0][2])) != ct.order[first].label {
		t.Errorf("row %q: says %s first uses it; the first is %s", row, links[0][2], rel(ct.order[first].label))
	}
}

// checkNames checks the names of a row's third cell (c[2]): each x/sys name
// exists and each gap filler is in a file the cell links to. It returns the
// index in order of the first place that uses one of them, or -1.
func (ct *callTable) checkNames(t *testing.T, row string, c []string) int {
	t.Helper()
	first := -1
	note := func(token string) {
		i := ct.firstUse(token)
		if i < 0 && ct.studentsCopy && strings.Contains(c[3], "/lab)") {
			return
		}
		if i < 0 {
			t.Errorf("row %q: %s is used nowhere in the course", row, token)
			return
		}
		if first < 0 || i < first {
			first = i
		}
	}
	for _, m := range codeSpanRE.FindAllStringSubmatch(c[2], -1) {
		name := strings.TrimSuffix(m[1], "()")
		switch {
		case strings.HasPrefix(name, "unix.") || strings.HasPrefix(name, "windows."):
			if !ct.xsys[name] {
				t.Errorf("row %q: golang.org/x/sys has no %s", row, name)
			}
			ct.listed[name] = true
			note(name)
		case regexp.MustCompile(`^[A-Za-z_]\w*$`).MatchString(name):
			links := linkRE.FindAllStringSubmatch(c[2], -1)
			found := false
			for _, l := range links {
				if text, err := os.ReadFile(target(ct.page, l[2])); err == nil && bytes.Contains(text, []byte(name)) {
					found = true
				}
			}
			if !found {
				t.Errorf("row %q: gap filler %s is in none of the files the cell links to", row, name)
			}
			note(name)
		}
	}
	return first
}

// checkEveryCallListed checks that every x/sys function and every DLL
// procedure the course's code calls has a row.
func (ct *callTable) checkEveryCallListed(t *testing.T) {
	t.Helper()
	callRE := regexp.MustCompile(`\b((?:unix|windows|syscall)\.[A-Z]\w*)\(`)
	procRE := regexp.MustCompile(`NewProc\("(\w+)"\)`)
	for i, src := range ct.sources {
		for _, m := range callRE.FindAllStringSubmatch(src, -1) {
			if !ct.listed[m[1]] && notCalls[m[1]] == "" {
				t.Errorf("%s calls %s; winsock-posix-go.md has no row for it", rel(ct.order[i].dir), m[1])
				ct.listed[m[1]] = true
			}
		}
		for _, m := range procRE.FindAllStringSubmatch(src, -1) {
			if !ct.listed["proc "+m[1]] {
				t.Errorf("%s loads %s from a DLL; winsock-posix-go.md has no row with `%s` in its first cell", rel(ct.order[i].dir), m[1], m[1])
				ct.listed["proc "+m[1]] = true
			}
		}
	}
}
