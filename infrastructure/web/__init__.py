"""What HTTP and the console share."""
