"""The final essay (bài thu hoạch cuối khóa): learners submit it, instructors grade it with the rubric."""
