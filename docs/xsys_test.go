package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// xsysNames returns the exported top-level names of golang.org/x/sys's
// unix and windows packages, in every file whatever its build tags.
func xsysNames(t *testing.T) map[string]bool {
	t.Helper()
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys")
	cmd.Dir = filepath.Join(root, "01-blocking")
	out, err := cmd.Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		dl := exec.Command("go", "mod", "download", "-json", "golang.org/x/sys")
		dl.Dir = cmd.Dir
		if err := dl.Run(); err != nil {
			t.Fatalf("finding golang.org/x/sys: %v", err)
		}
		out, err = cmd.Output()
		dir = strings.TrimSpace(string(out))
		if err != nil || dir == "" {
			t.Fatalf("finding golang.org/x/sys: %v", err)
		}
	}
	names := map[string]bool{}
	for _, pkg := range []string{"unix", "windows"} {
		files, _ := filepath.Glob(filepath.Join(dir, pkg, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.SkipObjectResolution)
			if err != nil {
				continue
			}
			for _, d := range file.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil {
						names[pkg+"."+d.Name.Name] = true
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.ValueSpec:
							for _, n := range s.Names {
								names[pkg+"."+n.Name] = true
							}
						case *ast.TypeSpec:
							names[pkg+"."+s.Name.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}
