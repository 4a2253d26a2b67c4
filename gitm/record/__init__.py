"""What a run leaves and shows: typed events, the run record (trajectory and summary), reports and the
dashboard."""
