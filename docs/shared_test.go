package main

import (
	"strings"
	"testing"
)

// TestSharedCode checks that every copy of a shared file is its source's,
// declaration by declaration, except where sharedExceptions declares a
// difference; and that every declared difference is still one, so the
// list only shrinks as the chapters grow alike.
func TestSharedCode(t *testing.T) {
	if !haveShared() {
		t.Skip("../shared is missing")
	}
	diffs, err := sharedDifferences("..")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]exception{}
	for _, e := range sharedExceptions {
		if _, dup := declared[e.key()]; dup {
			t.Errorf("declared twice: %s", e.key())
		}
		if strings.TrimSpace(e.why) == "" {
			t.Errorf("declared without a reason: %s", e.key())
		}
		declared[e.key()] = e
	}
	var undeclared []string
	for _, d := range diffs {
		if _, ok := declared[d.key()]; ok {
			delete(declared, d.key())
			continue
		}
		undeclared = append(undeclared, exceptionRow(d, d.how+": WHY"))
	}
	if len(undeclared) > 0 {
		t.Errorf("%d declarations of shared files differ from their source without a declared reason: make the copy the source's, or add to sharedExceptions (shared_exceptions.go):\n%s",
			len(undeclared), strings.Join(undeclared, "\n"))
	}
	for _, e := range sharedExceptions {
		if _, stale := declared[e.key()]; stale {
			t.Errorf("declared, but the copy is now its source's: delete the row %s", e.key())
		}
	}
}

// TestEdgesDifferWhereDeclared checks each edge of the tree: the shared
// files of a chapter and of its parent differ only in declarations that
// one of the two declares.
func TestEdgesDifferWhereDeclared(t *testing.T) {
	if !haveShared() {
		t.Skip("../shared is missing")
	}
	declared := map[string]bool{}
	for _, e := range sharedExceptions {
		declared[e.key()] = true
	}
	for _, s := range steps {
		parent, child := s.from.chapter, s.to.chapter
		diffs, err := edgeDifferences("..", parent, child)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range diffs {
			if d.decl == wholeFile && d.how == "only in this chapter" {
				continue // a shared file this chapter is the first to carry (sharedFiles)
			}
			whole := func(ch string) bool { return declared[ch+" "+d.file+" "+wholeFile] }
			if declared[d.key()] || declared[parent+" "+d.file+" "+d.decl] || whole(child) || whole(parent) {
				continue
			}
			t.Errorf("%s -> %s: %s %s %s, declared in neither chapter", parent, child, d.file, d.decl, d.how)
		}
	}
}

// TestSourceCarriesItsFile: a shared file's source chapter carries it,
// whether or not the file is in every chapter, so that an edge from the
// source shows no difference where the copy is the source's.
func TestSourceCarriesItsFile(t *testing.T) {
	for _, f := range sharedFiles {
		if !f.carries(f.source) {
			t.Errorf("%s: its source %s does not carry it", f.name, f.source)
		}
	}
}
