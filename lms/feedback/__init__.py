"""Learners' anonymous feedback (phiếu lấy ý kiến học viên) on each chuyên đề and on the course, and the cohort's
report for its staff: figures only, and only from enough responses to keep every answer anonymous."""
