package dev.meridian.proxy.pooling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cheap, conservative lexer over SQL text, never a parser: it yields the words of each
 * statement (lower-cased; {@code ;} ends a statement) and the punctuation {@code ( ) , *}, and
 * skips what cannot hold a command: comments ({@code --}, nested {@code /* *}{@code /}), string
 * literals ('...', E'...' with backslash escapes), dollar-quoted bodies and quoted identifiers
 * (kept as one token starting with {@code "}, so they never match a keyword).
 */
public final class SqlTokens {
    private final String sql;
    private int i;

    private SqlTokens(String sql) {
        this.sql = sql;
    }

    /** The statements of {@code sql}, each a list of tokens; empty statements dropped. */
    public static List<List<String>> statements(String sql) {
        return new SqlTokens(sql).run();
    }

    private List<List<String>> run() {
        List<List<String>> statements = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';') {
                i++;
                if (!current.isEmpty()) {
                    statements.add(current);
                    current = new ArrayList<>();
                }
            } else if (c == '-' && next('-')) {
                skipLineComment();
            } else if (c == '/' && next('*')) {
                skipBlockComment();
            } else if (c == '\'') {
                skipString(false);
            } else if (c == '"') {
                current.add(quotedIdentifier());
            } else if (c == '$' && dollarTag() != null) {
                skipDollarQuoted(dollarTag());
            } else if (Character.isLetter(c) || c == '_') {
                String word = word();
                if ((word.equals("e") || word.equals("x") || word.equals("b") || word.equals("u&"))
                        && i < n && sql.charAt(i) == '\'') {
                    skipString(word.equals("e"));
                } else {
                    current.add(word);
                }
            } else {
                if (c == '(' || c == ')' || c == ',' || c == '*') {
                    current.add(String.valueOf(c));
                }
                i++;
            }
        }
        if (!current.isEmpty()) {
            statements.add(current);
        }
        return statements;
    }

    private boolean next(char c) {
        return i + 1 < sql.length() && sql.charAt(i + 1) == c;
    }

    private void skipLineComment() {
        while (i < sql.length() && sql.charAt(i) != '\n') {
            i++;
        }
    }

    private void skipBlockComment() {
        int depth = 0;
        while (i < sql.length()) {
            if (sql.charAt(i) == '/' && next('*')) {
                depth++;
                i += 2;
            } else if (sql.charAt(i) == '*' && next('/')) {
                i += 2;
                if (--depth == 0) {
                    return;
                }
            } else {
                i++;
            }
        }
    }

    private void skipString(boolean backslashEscapes) {
        i++; // opening quote
        while (i < sql.length()) {
            char c = sql.charAt(i++);
            if (backslashEscapes && c == '\\') {
                i++;
            } else if (c == '\'') {
                if (i < sql.length() && sql.charAt(i) == '\'') {
                    i++;
                } else {
                    return;
                }
            }
        }
    }

    private String quotedIdentifier() {
        int start = i++;
        while (i < sql.length()) {
            if (sql.charAt(i++) == '"') {
                if (i < sql.length() && sql.charAt(i) == '"') {
                    i++;
                } else {
                    break;
                }
            }
        }
        return sql.substring(start, i);
    }

    /** The tag ("$", "$body$") when a dollar quote starts at i, else null ($1 is a parameter). */
    private String dollarTag() {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(sql.charAt(j))) {
                return null;
            }
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }

    private void skipDollarQuoted(String tag) {
        int end = sql.indexOf(tag, i + tag.length());
        i = end < 0 ? sql.length() : end + tag.length();
    }

    private String word() {
        int start = i;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                i++;
            } else if (c == '&' && i == start + 1 && (sql.charAt(start) == 'u' || sql.charAt(start) == 'U')) {
                i++;
                return "u&";
            } else {
                break;
            }
        }
        return sql.substring(start, i).toLowerCase(Locale.ROOT);
    }
}
