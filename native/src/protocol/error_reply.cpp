#include <mpjava/protocol/error_reply.h>

#include <cctype>

namespace mpjava {

namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Where a path token ends: at a space or a character that closes or separates it.
bool EndsPath(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '"' || c == '\'' || c == '(' || c == ')' ||
           c == '[' || c == ']' || c == ',' || c == ';' || c == '<' || c == '>' || c == '`';
}

} // namespace

std::string ReasonForPeer(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const char c = text[i];
        const bool token_start = i == 0 || !IsWordChar(text[i - 1]);
        // "stack: 7f1a... 7f1b..." (KJ's what()): to the end of the line.
        if (token_start && text.compare(i, 7, "stack: ") == 0) {
            while (i < n && text[i] != '\n') ++i;
            continue;
        }
        // An absolute path: keep the last component (a file name says what failed).
        if (c == '/' && (i == 0 || EndsPath(text[i - 1]) || text[i - 1] == '=' || text[i - 1] == ':') && i + 1 < n &&
            !EndsPath(text[i + 1]) && text[i + 1] != '/') {
            std::size_t end = i;
            std::size_t last = i;
            while (end < n && !EndsPath(text[end])) {
                if (text[end] == '/') last = end;
                ++end;
            }
            out.append(text, last + 1, end - last - 1);
            i = end;
            continue;
        }
        // 0x followed by 6+ hex digits: an address.
        if (token_start && c == '0' && i + 1 < n && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            std::size_t end = i + 2;
            while (end < n && IsHex(text[end])) ++end;
            if (end - i - 2 >= 6) {
                out += "0x?";
                i = end;
                continue;
            }
        }
        // KJ prints pointers as bare hex ("&x = 7fea8dd1acf0"): a word of 8 to 16 hex
        // digits with letters and digits both. Longer ones (hashes) are data, kept.
        if (token_start && IsHex(c)) {
            std::size_t end = i;
            bool letter = false, digit = false;
            while (end < n && IsHex(text[end])) {
                (std::isdigit(static_cast<unsigned char>(text[end])) ? digit : letter) = true;
                ++end;
            }
            const std::size_t length = end - i;
            if ((end == n || !IsWordChar(text[end])) && letter && digit && length >= 8 && length <= 16) {
                out += "0x?";
                i = end;
                continue;
            }
            out.append(text, i, length);
            i = end;
            continue;
        }
        out += c;
        ++i;
    }
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
    return out;
}

} // namespace mpjava
