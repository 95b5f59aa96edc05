package main

import "fmt"

// uringMissing says why this kernel cannot make the ring that the uring
// transcripts show (io_uring disabled, or a kernel before Linux 6.1, which
// refuses SINGLE_ISSUER|DEFER_TASKRUN and makes the server fall back), or
// "" when it can.
func uringMissing() string {
	r, err := newRing(submissionEntries, completionEntries, ownThreadFlags)
	if err != nil {
		return fmt.Sprintf("io_uring_setup with SINGLE_ISSUER|DEFER_TASKRUN: %v "+
			"(io_uring disabled, or Linux before 6.1): the uring transcripts show that ring", err)
	}
	r.close()
	return ""
}
