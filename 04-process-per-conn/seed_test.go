package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSeedClaims checks what the lesson says the seed does about its
// children against the seed itself (../../shared/seeds, when the course has
// it): seed 003 never waits for a child and never mentions SIGCHLD or
// zombies, so the lesson must say exactly that, and must not say the seed
// asks about SIGCHLD.
func TestSeedClaims(t *testing.T) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "003_*.txt"))
	if len(seeds) != 1 {
		t.Skip("no ../../shared/seeds/003_*.txt: this copy of the course has no seeds")
	}
	seed, err := os.ReadFile(seeds[0])
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lesson := strings.Join(strings.Fields(string(readme)), " ")
	for _, word := range []string{`\bwait(pid)? *\(`, `SIGCHLD`, `zombie`} {
		if regexp.MustCompile(`(?i)` + word).Match(seed) {
			t.Fatalf("seed 003 has %q now: read what it says and update the lesson and this test", word)
		}
	}
	const says = "The seed neither waits nor says anything about SIGCHLD: it calls no `wait`, `waitpid` or `signal(SIGCHLD, ...)`, and its text does not mention zombies."
	if !strings.Contains(lesson, says) {
		t.Errorf("the lesson does not say what the seed does about its children: want %q", says)
	}
	if m := regexp.MustCompile(`[^.]*(?:seed|blog)[^.]*(?:asks|answer)[^.]*SIGCHLD[^.]*`).FindString(lesson); m != "" {
		t.Errorf("the lesson says the seed asks about SIGCHLD, which seed 003 never mentions: %q", m)
	}
}

// TestWindowsHandOverClaims checks the lesson's reason for
// WSADuplicateSocket: a SOCKET is inheritable by default ("A socket handle
// created by the WSASocket or the socket function is inheritable by
// default", WSASocketW on MSDN), so the lesson must not say it cannot be
// inherited, and must quote the page that gives the reason it uses.
func TestWindowsHandOverClaims(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lesson := strings.Join(strings.Fields(string(readme)), " ")
	if m := regexp.MustCompile(`(?i)[^.]*SOCKET\W* is not inherit[^.]*`).FindString(lesson); m != "" {
		t.Errorf("the lesson says a SOCKET is not inherited; Winsock makes it inheritable by default: %q", m)
	}
	for _, quote := range []string{
		"A socket handle created by the WSASocket or the socket function is inheritable by default",
		"is used to enable socket sharing between processes",
		"The presence of layered service providers (LSPs) can cause this to fail and there is no way for the destination process to import the socket handle",
	} {
		if !strings.Contains(lesson, quote) {
			t.Errorf("the lesson does not quote MSDN: %q", quote)
		}
	}
}
