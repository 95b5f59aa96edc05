package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
