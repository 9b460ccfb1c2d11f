"""Individual casework (个案工作, MZ/T 094-2017): intake to closure and follow-up."""
