package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMainIsTheChaptersOwn checks that each chapter's main.go holds only
// what is the chapter's own: its constants (usage, help, defaults), the
// flags each command takes (takes), run, and at most a checkValues for
// its flags' values. The frame around them is cli.go, the same in every
// chapter (TestSharedCode), so that main.go differs from chapter to
// chapter by its flags, commands and usage only.
func TestMainIsTheChaptersOwn(t *testing.T) {
	if !haveShared() {
		t.Skip("../shared is missing")
	}
	for _, ch := range chapters {
		decls, err := declarations(filepath.Join("..", ch, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		for name := range decls {
			switch {
			case strings.HasPrefix(name, "const "), name == "run", name == "var takes", name == "checkValues":
			default:
				t.Errorf("%s/main.go: %s is not the chapter's flags or usage: it belongs in cli.go, interrupt.go or the model's files", ch, name)
			}
		}
	}
}
