"""A cohort's schedule as stored: windows per chuyên đề and for the final essay, extensions, what is due soon."""
