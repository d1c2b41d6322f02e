// A child that starts and ends without a word (its thread suspends): a managed child whose
// output cannot mix with the shell's transcript.
int main(void) { return 0; }
