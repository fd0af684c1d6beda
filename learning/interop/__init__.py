"""Standards other systems read: xAPI statements for an LRS and SCORM 1.2 packages for an LMS."""
