package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// root is the repository; the seeds are beside it, in ../shared/seeds.
var root = func() string {
	r, err := repoRoot()
	if err != nil {
		panic(err)
	}
	return r
}()

// shared is the folder beside the repository that holds the seeds. A copy
// of the course without it still reads, but the seed links go nowhere, so
// the checks of those links skip.
var shared = filepath.Join(root, "..", "shared")

func haveShared() bool {
	_, err := os.Stat(filepath.Join(shared, "seeds"))
	return err == nil
}

// TestDiffsMatchCode fails when diffs.md is not what "go run ./docs" makes
// of the code as it is now.
func TestDiffsMatchCode(t *testing.T) {
	want, err := diffsPage(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "docs", "diffs.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/diffs.md does not match the code: run go run ./docs, read the change, and commit it")
	}
}

// pages are the Markdown files whose links and commands are checked: the
// docs pages and every README of the repository.
func pages(t *testing.T) []string {
	t.Helper()
	var out []string
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	readmes, _ := filepath.Glob(filepath.Join(root, "*", "README.md"))
	out = append(out, docs...)
	out = append(out, readmes...)
	out = append(out, filepath.Join(root, "README.md"))
	if len(docs) == 0 {
		t.Fatal("no pages in docs/")
	}
	return out
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rel(path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

var (
	linkRE     = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)\)`)
	testNameRE = regexp.MustCompile("^`?(Test[A-Za-z0-9_]+)(/[^`]*)?`?$")
	codeSpanRE = regexp.MustCompile("`([^`\n]+)`")
)

// target resolves a relative link of page, or returns "" for a link that
// leaves the repository's files (a web address, an anchor).
func target(page, link string) string {
	if strings.Contains(link, "://") || strings.HasPrefix(link, "#") || strings.HasPrefix(link, "mailto:") {
		return ""
	}
	link, _, _ = strings.Cut(link, "#")
	return filepath.Join(filepath.Dir(page), filepath.FromSlash(link))
}

// TestLinks checks every relative link of every page: the file or
// directory exists, and a link whose text is a test's name points to the
// file that defines that test.
func TestLinks(t *testing.T) {
	for _, page := range pages(t) {
		for _, m := range linkRE.FindAllStringSubmatch(read(t, page), -1) {
			text, path := m[1], target(page, m[2])
			if path == "" {
				continue
			}
			if !haveShared() && strings.HasPrefix(path, shared+string(filepath.Separator)) {
				continue // the seeds are not beside this copy; TestSeedQuotes says so
			}
			info, err := os.Stat(path)
			if err != nil {
				t.Errorf("%s: link [%s](%s): %v", rel(page), text, m[2], err)
				continue
			}
			if tm := testNameRE.FindStringSubmatch(text); tm != nil {
				if info.IsDir() || !strings.Contains(read(t, path), "func "+tm[1]+"(") {
					t.Errorf("%s: link [%s](%s): no func %s there", rel(page), text, m[2], tm[1])
				}
			}
		}
	}
}

// TestSeedQuotes checks seed-bugs.md: every entry names the seed's lines
// and quotes one that is really there, and says what pins its fix.
func TestSeedQuotes(t *testing.T) {
	if !haveShared() {
		t.Skip("the seeds are not beside this copy of the course (../shared/seeds): their quotes and links are not checked")
	}
	page := read(t, filepath.Join(root, "docs", "seed-bugs.md"))
	whereRE := regexp.MustCompile("^Where: seed (\\d{3}), lines? (\\d+)(?:[–-](\\d+))?: `([^`]+)`")
	entries := strings.Split(page, "\n### ")[1:]
	if len(entries) == 0 {
		t.Fatal("seed-bugs.md has no ### entries")
	}
	seeds := map[string][]string{}
	for _, e := range entries {
		title, _, _ := strings.Cut(e, "\n")
		var where []string
		for _, line := range strings.Split(e, "\n") {
			if m := whereRE.FindStringSubmatch(line); m != nil {
				where = m
			}
		}
		if where == nil {
			t.Errorf("entry %q: no line \"Where: seed NNN, lines A–B: `quote`\"", title)
			continue
		}
		if !strings.Contains(e, "\nPinned by: ") {
			t.Errorf("entry %q: no line \"Pinned by: ...\"", title)
		}
		lines, ok := seeds[where[1]]
		if !ok {
			files, _ := filepath.Glob(filepath.Join(shared, "seeds", where[1]+"_*.txt"))
			if len(files) != 1 {
				t.Fatalf("seed %s: %d files", where[1], len(files))
			}
			lines = strings.Split(read(t, files[0]), "\n")
			seeds[where[1]] = lines
		}
		from, _ := strconv.Atoi(where[2])
		to := from
		if where[3] != "" {
			to, _ = strconv.Atoi(where[3])
		}
		if from < 1 || to < from || to > len(lines) {
			t.Errorf("entry %q: lines %d–%d are not in seed %s (%d lines)", title, from, to, where[1], len(lines))
			continue
		}
		quote := squash(where[4])
		if !strings.Contains(squash(strings.Join(lines[from-1:to], "\n")), quote) {
			t.Errorf("entry %q: seed %s, lines %d–%d do not hold %q", title, where[1], from, to, where[4])
		}
	}
}

// squash folds every run of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// errorNameRE matches the names of error codes: EAGAIN, WSAEWOULDBLOCK,
// WSA_OPERATION_ABORTED.
var errorNameRE = regexp.MustCompile(`^(E[A-Z0-9]{3,}|WSAE[A-Z0-9]+|WSA_[A-Z_]+)$`)

// corpus is what the course shows: its code, tests and transcripts, and the
// seeds.
func corpus(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, pattern := range []string{"0*/*.go", "0*/*/*.go", "0*/testdata/*.ct", "0*/testdata/*/*.ct", "../shared/seeds/*.txt"} {
		files, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, f := range files {
			b.WriteString(read(t, f))
		}
	}
	return b.String()
}

// TestErrorNames checks every error name the docs pages write as code: the
// course shows it somewhere, and in errors.md each link of a row points to a
// file that shows one of the row's errors.
func TestErrorNames(t *testing.T) {
	all := corpus(t)
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	for _, page := range docs {
		if filepath.Base(page) == "diffs.md" {
			continue
		}
		for _, m := range codeSpanRE.FindAllStringSubmatch(read(t, page), -1) {
			name := m[1]
			if errorNameRE.MatchString(name) && !regexp.MustCompile(`\b`+name+`\b`).MatchString(all) {
				t.Errorf("%s: %s is in no chapter's code, transcript or seed", rel(page), name)
			}
		}
	}
	page := filepath.Join(root, "docs", "errors.md")
	rows := 0
	for _, row := range tableRows(read(t, page)) {
		var names []string
		for _, m := range codeSpanRE.FindAllStringSubmatch(row, -1) {
			if errorNameRE.MatchString(m[1]) {
				names = append(names, m[1])
			}
		}
		if len(names) == 0 {
			continue
		}
		rows++
		for _, m := range linkRE.FindAllStringSubmatch(row, -1) {
			path := target(page, m[2])
			if path == "" {
				continue
			}
			text, err := os.ReadFile(path)
			if err != nil {
				continue // TestLinks reports it
			}
			if !slices.ContainsFunc(names, func(n string) bool { return bytes.Contains(text, []byte(n)) }) {
				t.Errorf("errors.md: row of %s links to %s, which shows none of them", strings.Join(names, ", "), m[2])
			}
		}
	}
	if rows < 10 {
		t.Errorf("errors.md: %d rows name errors; the page promises at least the ten of its issue", rows)
	}
}

// tableRows returns the body rows of every Markdown table in page: not
// the header rows, nor the lines of dashes under them.
func tableRows(page string) []string {
	var rows []string
	lines := strings.Split(page, "\n")
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") || isRule(line) {
			continue
		}
		if i+1 < len(lines) && isRule(strings.TrimSpace(lines[i+1])) {
			continue // a header
		}
		rows = append(rows, line)
	}
	return rows
}

// isRule tells whether a table's line is the one under its header.
func isRule(line string) bool {
	return strings.HasPrefix(line, "|") && strings.Trim(line, "|-: ") == ""
}

// cells splits a table row into its cells ("|" inside a code span does not split).
func cells(row string) []string {
	var out []string
	var cell strings.Builder
	inCode := false
	for _, r := range strings.Trim(row, "|") {
		switch {
		case r == '`':
			inCode = !inCode
		case r == '|' && !inCode:
			out = append(out, cell.String())
			cell.Reset()
			continue
		}
		cell.WriteRune(r)
	}
	return append(out, cell.String())
}

// place is one package of the course's code, and where a page says it is:
// its chapter's directory, or the chapter's lab/ for the lab's packages.
type place struct{ dir, label string }

// places are where the course's code lives, in reading order: each chapter's
// program (with the packages under it), then its lab.
func places() []place {
	var out []place
	chapters, _ := filepath.Glob(filepath.Join(root, "0*"))
	for _, chapter := range chapters {
		var program, labDirs []place
		filepath.WalkDir(chapter, func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			lab := filepath.Join(chapter, "lab")
			if path == lab || strings.HasPrefix(path, lab+string(filepath.Separator)) {
				labDirs = append(labDirs, place{path, lab})
			} else {
				program = append(program, place{path, chapter})
			}
			return nil
		})
		out = append(append(out, program...), labDirs...)
	}
	return out
}

// lineCommentRE matches a Go line comment (and, rarely, the end of a string
// holding "//", which does not matter for finding names).
var lineCommentRE = regexp.MustCompile(`(?m)//.*$`)

// code returns the non-test Go source of the package in dir, without its
// line comments: a comment that names a call does not make it.
func code(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var b strings.Builder
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b.WriteString(lineCommentRE.ReplaceAllString(read(t, f), ""))
		}
	}
	return b.String()
}

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
	page := filepath.Join(root, "docs", "winsock-posix-go.md")
	xsys := xsysNames(t)
	order := places()
	sources := make([]string, len(order))
	for i, p := range order {
		sources[i] = code(t, p.dir)
	}
	firstUse := func(token string) int {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(token) + `\b`)
		for i, src := range sources {
			if re.MatchString(src) {
				return i
			}
		}
		return -1
	}
	listed := map[string]bool{}
	// In a student's copy (no classroom/), a lab's call that only its
	// solution makes is the student's to write: used nowhere is right there.
	_, err := os.Stat(filepath.Join(root, "classroom"))
	studentsCopy := err != nil
	rows := tableRows(read(t, page))
	if len(rows) < 20 {
		t.Fatalf("winsock-posix-go.md: %d rows; the course makes more calls than that", len(rows))
	}
	for _, row := range rows {
		c := cells(row)
		if len(c) < 4 {
			t.Errorf("row %q: want 4 cells (Windows, POSIX, x/sys or gap filler, first used in)", row)
			continue
		}
		for _, m := range codeSpanRE.FindAllStringSubmatch(c[0], -1) {
			name, _, _ := strings.Cut(m[1], "(")
			listed["proc "+name] = true
		}
		first := -1
		note := func(token string) {
			i := firstUse(token)
			if i < 0 && studentsCopy && strings.Contains(c[3], "/lab)") {
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
				if !xsys[name] {
					t.Errorf("row %q: golang.org/x/sys has no %s", row, name)
				}
				listed[name] = true
				note(name)
			case regexp.MustCompile(`^[A-Za-z_]\w*$`).MatchString(name):
				links := linkRE.FindAllStringSubmatch(c[2], -1)
				found := false
				for _, l := range links {
					if text, err := os.ReadFile(target(page, l[2])); err == nil && bytes.Contains(text, []byte(name)) {
						found = true
					}
				}
				if !found {
					t.Errorf("row %q: gap filler %s is in none of the files the cell links to", row, name)
				}
				note(name)
			}
		}
		links := linkRE.FindAllStringSubmatch(c[3], -1)
		if len(links) != 1 {
			t.Errorf("row %q: the last cell must link to the chapter (or lab) that first uses the call", row)
			continue
		}
		if first >= 0 && filepath.Clean(target(page, links[0][2])) != order[first].label {
			t.Errorf("row %q: says %s first uses it; the first is %s", row, links[0][2], rel(order[first].label))
		}
	}
	callRE := regexp.MustCompile(`\b((?:unix|windows|syscall)\.[A-Z]\w*)\(`)
	procRE := regexp.MustCompile(`NewProc\("(\w+)"\)`)
	for i, src := range sources {
		for _, m := range callRE.FindAllStringSubmatch(src, -1) {
			if !listed[m[1]] && notCalls[m[1]] == "" {
				t.Errorf("%s calls %s; winsock-posix-go.md has no row for it", rel(order[i].dir), m[1])
				listed[m[1]] = true
			}
		}
		for _, m := range procRE.FindAllStringSubmatch(src, -1) {
			if !listed["proc "+m[1]] {
				t.Errorf("%s loads %s from a DLL; winsock-posix-go.md has no row with `%s` in its first cell", rel(order[i].dir), m[1], m[1])
				listed["proc "+m[1]] = true
			}
		}
	}
}

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

// TestCIRunsTheReadmeCommand checks that .ci/run runs the test command the
// README gives, word for word.
func TestCIRunsTheReadmeCommand(t *testing.T) {
	command := readmeTestCommand(t)
	if _, err := os.Stat(filepath.Join(root, "classroom")); err != nil {
		t.Skip("a student's copy of the course (no classroom/): it has no CI to check")
	}
	ci := read(t, filepath.Join(root, ".ci", "run"))
	if !slices.Contains(strings.Split(ci, "\n"), command) {
		t.Errorf(".ci/run does not run the README's test command %q", command)
	}
}

// outputRE matches a code span that quotes a program's output: a failure
// line ending in an error's name, or a trace line of a failed call.
var outputRE = regexp.MustCompile(`\(((WSA)?E[A-Z0-9]+|WSA_[A-Z_]+|EAI_[A-Z]+|WSAHOST_NOT_FOUND)\)$| = (-1|SOCKET_ERROR) `)

// TestQuotedOutputs checks that every line of program output the docs
// pages quote is one the course's code, tests or transcripts really hold
// ("..." stands for a part left out; PORT and ${PORT} are the same port).
func TestQuotedOutputs(t *testing.T) {
	norm := strings.NewReplacer("${PORT}", "PORT").Replace
	all := norm(corpus(t))
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	quoted := 0
	for _, page := range docs {
		if filepath.Base(page) == "diffs.md" {
			continue
		}
		for _, m := range codeSpanRE.FindAllStringSubmatch(read(t, page), -1) {
			if !outputRE.MatchString(m[1]) {
				continue
			}
			quoted++
			for _, part := range strings.Split(norm(m[1]), "...") {
				if strings.TrimSpace(part) != "" && !strings.Contains(all, part) {
					t.Errorf("%s quotes %q; no code, test or transcript of the course holds %q", rel(page), m[1], part)
					break
				}
			}
		}
	}
	if quoted == 0 {
		t.Error("the pages quote no program output: is outputRE still right?")
	}
}

// TestWorkflow checks the GitHub Actions workflow: actionlint (a Go tool of
// this module) finds nothing wrong in it, and it runs the README's test
// command word for word.
func TestWorkflow(t *testing.T) {
	workflows, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if len(workflows) == 0 {
		if _, err := os.Stat(filepath.Join(root, "classroom")); err != nil {
			t.Skip("a student's copy of the course (no classroom/): it has no workflow")
		}
		t.Fatal("no workflow in .github/workflows")
	}
	cmd := exec.Command("go", append([]string{"tool", "actionlint"}, workflows...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
	command := readmeTestCommand(t)
	for _, w := range workflows {
		if !strings.Contains(read(t, w), "run: "+command+"\n") {
			t.Errorf("%s does not run the README's test command %q", rel(w), command)
		}
	}
}

// readmeTestCommand returns the test command the README gives: its first
// line that starts with "go test ".
func readmeTestCommand(t *testing.T) string {
	t.Helper()
	for _, line := range strings.Split(read(t, filepath.Join(root, "README.md")), "\n") {
		if strings.HasPrefix(line, "go test ") {
			return line
		}
	}
	t.Fatal("README.md gives no line starting with \"go test \"")
	return ""
}
