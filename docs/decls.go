package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
)

// declarations returns a Go file's top-level declarations, each by its
// name ("open", "sockets.open" for a method, "type sock", "const
// nameClose" for a block by its first name), with its source text, doc
// comment included. The imports and the package clause are left out: they
// follow from the rest.
func declarations(path string) (map[string]string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	decls := map[string]string{}
	for _, d := range file.Decls {
		name, start := declName(d)
		if name == "" {
			continue
		}
		text := string(src[fset.Position(start).Offset:fset.Position(d.End()).Offset])
		if _, dup := decls[name]; dup {
			return nil, fmt.Errorf("%s: two declarations named %s", path, name)
		}
		decls[name] = text
	}
	return decls, nil
}

// declName names a declaration and returns where its text begins.
func declName(d ast.Decl) (string, token.Pos) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		start := d.Pos()
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
		if d.Recv == nil || len(d.Recv.List) != 1 {
			return d.Name.Name, start
		}
		t := d.Recv.List[0].Type
		if star, ok := t.(*ast.StarExpr); ok {
			t = star.X
		}
		if id, ok := t.(*ast.Ident); ok {
			return id.Name + "." + d.Name.Name, start
		}
		return d.Name.Name, start
	case *ast.GenDecl:
		if d.Tok == token.IMPORT || len(d.Specs) == 0 {
			return "", 0
		}
		start := d.Pos()
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
		switch s := d.Specs[0].(type) {
		case *ast.TypeSpec:
			return "type " + s.Name.Name, start
		case *ast.ValueSpec:
			return d.Tok.String() + " " + s.Names[0].Name, start
		}
	}
	return "", 0
}
