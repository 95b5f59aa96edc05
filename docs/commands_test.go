package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCommands checks the commands the pages quote: "go run ./DIR" and
// "go test ./DIR" name directories that exist, and every flag given to a
// program is one its code defines.
func TestCommands(t *testing.T) {
	cmdRE := regexp.MustCompile(`go (run|test)((?: -[\w.=]+(?: [\w.]+)?)*?) \./([\w./-]*)((?: [^\s` + "`" + `|]+)*)`)
	for _, page := range pages(t) {
		for _, m := range cmdRE.FindAllStringSubmatch(read(t, page), -1) {
			if strings.Contains(m[3], "NN-name") || m[3] == strings.ToUpper(m[3]) {
				continue // a pattern, as in "go test ./NN-name/lab" or "go run ./DIR"
			}
			dir := filepath.Join(root, strings.TrimSuffix(strings.TrimSuffix(m[3], "..."), "/"))
			if _, err := os.Stat(dir); err != nil {
				t.Errorf("%s: %q: no directory %s", rel(page), m[0], m[3])
				continue
			}
			if m[1] != "run" {
				continue
			}
			src := code(t, dir)
			for _, arg := range strings.Fields(m[4]) {
				if !strings.HasPrefix(arg, "-") || arg == "-" {
					continue
				}
				name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
				if name == "h" || name == "help" {
					continue
				}
				flagRE := regexp.MustCompile(`\.(?:Bool|Int|Int64|Uint|Uint64|String|Duration|Float64|Func|BoolFunc|TextVar|Var|BoolVar|IntVar|Int64Var|UintVar|Uint64Var|StringVar|DurationVar|Float64Var)\([^"\n]*"` + regexp.QuoteMeta(name) + `"`)
				if !flagRE.MatchString(src) {
					t.Errorf("%s: %q: %s defines no flag -%s", rel(page), m[0], m[3], name)
				}
			}
		}
	}
}
