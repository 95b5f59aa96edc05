package testkit

import (
	"fmt"
	"testing"
)

// Wait reports the status as the program ended; ExitAccepted forgives
// Wine's endings after the last line, under Wine only, and never another
// status or an output without that line.
func TestWineEndingsAreAcceptedUnderWineOnly(t *testing.T) {
	const last = "interrupt: server stopped"
	for _, c := range []struct {
		exit       string
		wine       bool
		status     int
		accepted   bool
		lastMissed bool
		newline    bool // last is given with its newline
	}{
		{exit: "wine client error", wine: true, status: 1, accepted: true},
		{exit: "wine client error", wine: false, status: 1, accepted: false},
		{exit: "1", wine: true, status: 1, accepted: true},
		{exit: "1", wine: false, status: 1, accepted: false},
		{exit: "1", wine: true, status: 1, accepted: false, lastMissed: true},
		{exit: "kill", wine: true, status: KilledBySignal, accepted: true},
		{exit: "kill", wine: true, status: KilledBySignal, accepted: true, newline: true},
		{exit: "kill", wine: false, status: KilledBySignal, accepted: false},
		{exit: "3", wine: true, status: 3, accepted: false},
		{exit: "0", wine: false, status: 0, accepted: true},
	} {
		t.Run(fmt.Sprintf("%s wine=%v newline=%v", c.exit, c.wine, c.newline), func(t *testing.T) {
			p, _ := helper(t, c.wine, 0, "TESTKIT_LISTEN=1", "TESTKIT_EXIT="+c.exit)
			server := p.StartServer(t)
			out, status := server.InterruptAndWait(t)
			if status != c.status || out != "listening on 127.0.0.1:40123\n"+last+"\n" {
				t.Fatalf("status %d and %q, want status %d and the two lines alone", status, out, c.status)
			}
			want := last
			if c.lastMissed {
				want = "a line it never printed"
			}
			if c.newline {
				want += "\n"
			}
			if got := server.ExitAccepted(t, status, 0, out, want); got != c.accepted {
				t.Errorf("ExitAccepted = %v, want %v", got, c.accepted)
			}
		})
	}
}

func TestAllowsUnderWineOnly(t *testing.T) {
	native, _ := helper(t, false, 0)
	wine, _ := helper(t, true, 0)
	if native.Allows(t, WineResetAsEOF, true) || wine.Allows(t, WineResetAsEOF, false) || !wine.Allows(t, WineResetAsEOF, true) {
		t.Error("Allows must hold under Wine, when the quirk was seen, only")
	}
	if native.UnderWine() || !wine.UnderWine() {
		t.Error("UnderWine is wrong")
	}
}
