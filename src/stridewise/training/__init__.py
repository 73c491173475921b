"""Training load: read a runner's own activity history (FIT, GPX, TCX, a Strava export), find the
load patterns the evidence links to overuse injury, turn them into findings the runner can
confirm, and build a graded way back to running. Everything runs in memory; nothing is stored."""
