package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Sizes a reader can hold: no Go file over maxFileLines lines, no function
// over maxFuncLines (from func to its closing brace), and no line of a
// model file (the first table of a chapter's README's "The files") wider
// than maxColumns, a tab counting to the next multiple of 8 as gofmt
// aligns and a terminal shows it. Go by Example enforces its width in its
// build the same way. What is over a limit today is declared in oversize
// with its measure, which may only go down.
const (
	maxFileLines = 200
	maxFuncLines = 60
	maxColumns   = 80
)

// modelFiles returns each chapter's model: the files of the first table
// of its README's file map ("## The files"), as "NN-name/file.go".
func modelFiles(t *testing.T, root string) map[string]bool {
	files := map[string]bool{}
	link := regexp.MustCompile(`^\| \[(\w+\.go)\]`)
	for _, ch := range chapters {
		inTable := false
		for line := range strings.Lines(fileMap(t, root, ch)) {
			if m := link.FindStringSubmatch(line); m != nil {
				files[ch+"/"+m[1]] = true
			}
			if strings.HasPrefix(line, "|") {
				inTable = true
			} else if inTable {
				break
			}
		}
	}
	return files
}

// fileMap returns the section "## The files" of chapter ch's README, up to
// the next section.
func fileMap(t *testing.T, root, ch string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(root, ch, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## The files\n")
	if !ok {
		t.Fatalf("%s/README.md has no section \"## The files\"", ch)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// measure is one thing over a limit: what ("lines", "func NAME",
// "columns": lines wider than maxColumns) in the file path, and how much.
type measure struct {
	path, what string
	n          int
}

func (m measure) String() string { return fmt.Sprintf("{%q, %q, %d},", m.path, m.what, m.n) }

// oversized measures every Go file under root, and returns what is over
// a limit.
func oversized(t *testing.T, root string) []measure {
	models := modelFiles(t, root)
	var over []measure
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		over = append(over, measureFile(t, path, filepath.ToSlash(rel), models[filepath.ToSlash(rel)])...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return over
}

func measureFile(t *testing.T, path, rel string, model bool) []measure {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var over []measure
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	if len(lines) > maxFileLines {
		over = append(over, measure{rel, "lines", len(lines)})
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range file.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if n > maxFuncLines {
				over = append(over, measure{rel, "func " + funcName(fn), n})
			}
		}
	}
	if n := wideLines(lines); model && n > 0 {
		over = append(over, measure{rel, "columns", n})
	}
	return over
}

// funcName is "name", or "T.name" for a method.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) != 1 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

// wideLines counts the lines wider than maxColumns.
func wideLines(lines []string) int {
	n := 0
	for _, line := range lines {
		col := 0
		for _, r := range line {
			if r == '\t' {
				col += 8 - col%8
			} else {
				col++
			}
		}
		if col > maxColumns {
			n++
		}
	}
	return n
}

func TestSizes(t *testing.T) {
	if !haveShared() {
		t.Skip("../shared is missing")
	}
	declared := map[string]int{}
	for _, m := range oversize {
		declared[m.path+" "+m.what] = m.n
	}
	for _, m := range oversized(t, "..") {
		key := m.path + " " + m.what
		limit, ok := declared[key]
		delete(declared, key)
		switch {
		case !ok:
			t.Errorf("%s: %s %d, over the limit: make it smaller (or declare it in oversize: %s)", m.path, m.what, m.n, m)
		case m.n > limit:
			t.Errorf("%s: %s %d, more than the %d declared: make it smaller", m.path, m.what, m.n, limit)
		case m.n < limit:
			t.Errorf("%s: %s %d, less than the %d declared: lower the row to %s", m.path, m.what, m.n, limit, m)
		}
	}
	for key := range declared {
		t.Errorf("%s is now within its limit: delete its row in oversize", key)
	}
}
