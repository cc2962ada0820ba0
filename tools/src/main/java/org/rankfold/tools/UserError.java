package org.rankfold.tools;

/** Bad usage or bad input that the user can fix: printed as one line, exit code 2. */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }
}
