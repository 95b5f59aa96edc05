package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// RequireMermaid is the variable that makes a missing Mermaid renderer a
// failure instead of a skip. CI sets it, as it sets the one for Wine.
const RequireMermaid = "IOMODELS_REQUIRE_MERMAID"

var mermaidRE = regexp.MustCompile("(?s)```mermaid\n(.*?)```")

// chart is one Mermaid block of a page.
type chart struct{ page, text string }

// TestMermaidRenders renders every Mermaid block of every page with the
// renderer GitHub's is built on (mermaid-cli, in a headless Chromium): a
// block that does not parse shows on GitHub as an error instead of a
// picture. All blocks are rendered in one run; when that fails, each page
// is rendered alone to say which failed.
func TestMermaidRenders(t *testing.T) {
	mmdc, args := mermaidRenderer(t)
	var charts []chart
	for _, page := range pages(t) {
		for _, m := range mermaidRE.FindAllStringSubmatch(read(t, page), -1) {
			charts = append(charts, chart{rel(page), m[1]})
		}
	}
	if len(charts) == 0 {
		t.Fatal("no Mermaid block found: the pattern is wrong")
	}
	if render(t, mmdc, args, charts) == nil {
		t.Logf("%d Mermaid blocks render", len(charts))
		return
	}
	for _, c := range charts {
		if err := render(t, mmdc, args, []chart{c}); err != nil {
			t.Errorf("%s: a Mermaid block does not render:\n%s\n%v", c.page, c.text, err)
		}
	}
}

// mermaidRenderer finds mmdc and the arguments that make it use the
// system's Chromium, or skips the test with the reason.
func mermaidRenderer(t *testing.T) (string, []string) {
	t.Helper()
	mmdc, err := exec.LookPath("mmdc")
	if err != nil {
		if os.Getenv(RequireMermaid) != "" {
			t.Fatalf("%s is set but mmdc is missing: .ci/run installs npm's @mermaid-js/mermaid-cli", RequireMermaid)
		}
		t.Skip("Mermaid blocks not rendered: no mmdc (npm install -g @mermaid-js/mermaid-cli, with a Chromium)")
	}
	var args []string
	if chromium, err := exec.LookPath("chromium"); err == nil {
		config := filepath.Join(t.TempDir(), "puppeteer.json")
		os.WriteFile(config, []byte(fmt.Sprintf(`{"executablePath": %q, "args": [`+
			`"--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", `+
			`"--disable-background-networking", "--disable-component-update", "--disable-sync"]}`, chromium)), 0o644)
		args = []string{"-p", config}
	}
	return mmdc, args
}

// render renders the charts as one Markdown file and returns mmdc's error.
func render(t *testing.T, mmdc string, args []string, charts []chart) error {
	t.Helper()
	dir := t.TempDir()
	var page strings.Builder
	for _, c := range charts {
		fmt.Fprintf(&page, "From %s:\n\n```mermaid\n%s```\n\n", c.page, c.text)
	}
	in := filepath.Join(dir, "charts.md")
	os.WriteFile(in, []byte(page.String()), 0o644)
	cmd := exec.Command(mmdc, append(args, "-i", in, "-o", filepath.Join(dir, "out.md"))...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v\n%s", err, firstLines(string(out), 8))
	}
	return nil
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
