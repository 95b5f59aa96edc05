package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// edgeDifferences returns the declarations of the shared files that
// differ between the chapters parent and child, as differences of child.
func edgeDifferences(root, parent, child string) ([]difference, error) {
	var diffs []difference
	for _, f := range sharedFiles {
		if !f.carries(child) {
			continue
		}
		if !f.carries(parent) {
			diffs = append(diffs, difference{child, f.name, wholeFile, "only in this chapter"})
			continue
		}
		before, err := declarations(filepath.Join(root, parent, f.name))
		if os.IsNotExist(err) {
			before, err = map[string]string{}, nil
		}
		if err != nil {
			return nil, err
		}
		after, err := declarations(filepath.Join(root, child, f.name))
		if os.IsNotExist(err) {
			after, err = map[string]string{}, nil
		}
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, compare(child, f.name, before, after)...)
	}
	return diffs, nil
}

// writeEdgeShared lists, for one edge, the declarations of the shared
// files that differ between the two chapters, each with its declared
// reason: the rest of the two chapters' shared code is the same.
func writeEdgeShared(b *bytes.Buffer, root, parent, child string) error {
	diffs, err := edgeDifferences(root, parent, child)
	if err != nil {
		return err
	}
	why := map[string]string{}
	for _, e := range sharedExceptions {
		why[e.key()] = e.why
	}
	reason := func(d difference) string {
		if d.decl == wholeFile && d.how == "only in this chapter" {
			return "a shared file " + child + " is the first on this edge to carry"
		}
		for _, key := range []string{
			child + " " + d.file + " " + d.decl, parent + " " + d.file + " " + d.decl,
			child + " " + d.file + " " + wholeFile, parent + " " + d.file + " " + wholeFile,
		} {
			if r, ok := why[key]; ok {
				return r
			}
		}
		return "not declared"
	}
	fmt.Fprintf(b, "The shared files (%s) differ on this edge in %d declarations; every other declaration is the same in both chapters.\n\n", sharedFileNames(), len(diffs))
	if len(diffs) == 0 {
		return nil
	}
	b.WriteString("<details><summary>The declarations that differ, and why</summary>\n\n| file | declaration | | why |\n|---|---|---|---|\n")
	for _, d := range diffs {
		how := map[string]string{"differs": "differs", "only in the source": "only in " + parent, "only in this chapter": "only in " + child}[d.how]
		fmt.Fprintf(b, "| %s | `%s` | %s | %s |\n", d.file, d.decl, how, reason(d))
	}
	b.WriteString("\n</details>\n\n")
	return nil
}

func sharedFileNames() string {
	var names []string
	for _, f := range sharedFiles {
		names = append(names, f.name)
	}
	return strings.Join(names, ", ")
}
